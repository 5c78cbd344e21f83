package org.batterytrace.examples.province;

import java.util.List;

/** Hunan's 14 prefecture-level divisions with their GB/T 2260 codes. */
final class Hunan {
    record City(String code, String name, String nameZh) {
    }

    static final List<City> CITIES = List.of(
            new City("430100", "Changsha", "长沙市"), new City("430200", "Zhuzhou", "株洲市"), new City("430300", "Xiangtan", "湘潭市"),
            new City("430400", "Hengyang", "衡阳市"), new City("430500", "Shaoyang", "邵阳市"), new City("430600", "Yueyang", "岳阳市"),
            new City("430700", "Changde", "常德市"), new City("430800", "Zhangjiajie", "张家界市"), new City("430900", "Yiyang", "益阳市"),
            new City("431000", "Chenzhou", "郴州市"), new City("431100", "Yongzhou", "永州市"), new City("431200", "Huaihua", "怀化市"),
            new City("431300", "Loudi", "娄底市"), new City("433100", "Xiangxi", "湘西土家族苗族自治州"));

    private Hunan() {
    }
}
