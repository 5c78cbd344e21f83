package org.batterytrace.server.report;

import java.util.Map;

/** GB/T 2260 province-level codes (first two digits of an administrative division code) and their names. */
final class Regions {
    private static final Map<String, String> PROVINCES = Map.ofEntries(Map.entry("11", "北京市"), Map.entry("12", "天津市"), Map.entry("13", "河北省"),
            Map.entry("14", "山西省"), Map.entry("15", "内蒙古自治区"), Map.entry("21", "辽宁省"), Map.entry("22", "吉林省"), Map.entry("23", "黑龙江省"),
            Map.entry("31", "上海市"), Map.entry("32", "江苏省"), Map.entry("33", "浙江省"), Map.entry("34", "安徽省"), Map.entry("35", "福建省"),
            Map.entry("36", "江西省"), Map.entry("37", "山东省"), Map.entry("41", "河南省"), Map.entry("42", "湖北省"), Map.entry("43", "湖南省"),
            Map.entry("44", "广东省"), Map.entry("45", "广西壮族自治区"), Map.entry("46", "海南省"), Map.entry("50", "重庆市"), Map.entry("51", "四川省"),
            Map.entry("52", "贵州省"), Map.entry("53", "云南省"), Map.entry("54", "西藏自治区"), Map.entry("61", "陕西省"), Map.entry("62", "甘肃省"),
            Map.entry("63", "青海省"), Map.entry("64", "宁夏回族自治区"), Map.entry("65", "新疆维吾尔自治区"), Map.entry("71", "台湾省"),
            Map.entry("81", "香港特别行政区"), Map.entry("82", "澳门特别行政区"));

    private Regions() {
    }

    static String provinceName(String twoDigits) {
        return PROVINCES.getOrDefault(twoDigits, "unknown");
    }
}
