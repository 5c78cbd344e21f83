package org.batterytrace.server.passport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.batterytrace.passport.Attribute;
import org.batterytrace.passport.AttributeTable;
import org.batterytrace.passport.Tier;

/**
 * The human page's view of a (filtered) passport: sections of labelled rows, with nesting as a depth, so
 * that the template needs no recursion and the page no script. Labels come from the attribute table.
 */
public final class PassportPage {
    /** Sections in page order: the seven Battery Pass sections, then the platform's own. */
    static final List<String> ORDER = List.of("generalProductInformation", "performanceAndDurability", "materialComposition", "carbonFootprint",
            "circularity", "supplyChainDueDiligence", "labels", "links", "lifecycle", "authority", "additionalDeclarations");

    public record Row(int depth, String label, String value, boolean link) {
        public boolean heading() {
            return value == null;
        }
    }

    public record Section(String key, String title, List<Row> rows) {
    }

    /** Everything the template shows. */
    public record View(boolean chinese, String lang, String code, String status, String tierLabel, String tierNotice, String pageUrl, String qrUrl,
            String digitalLink, List<Section> sections, String otherLanguageUrl, String otherLanguageName) {
        public String t(String zh, String en) {
            return chinese ? zh : en;
        }
    }

    private PassportPage() {
    }

    /** Chinese unless {@code lang} is "en", or absent and the first Accept-Language range is English. */
    public static boolean chinese(String lang, String acceptLanguage) {
        if (lang != null && !lang.isBlank()) {
            return !lang.toLowerCase(Locale.ROOT).startsWith("en");
        }
        return acceptLanguage == null || !acceptLanguage.trim().toLowerCase(Locale.ROOT).startsWith("en");
    }

    public static View view(JsonNode passport, Tier tier, boolean chinese, String pageUrl) {
        String code = passport.path("batteryIdentifier").asText();
        List<Section> sections = new ArrayList<>();
        for (String key : ORDER) {
            JsonNode section = passport.get(key);
            if (section == null || section.isEmpty()) {
                continue;
            }
            List<Row> rows = new ArrayList<>();
            rows(section, key, 0, chinese, rows);
            Attribute row = AttributeTable.get().row(key);
            sections.add(new Section(key, row == null ? key : row.label(chinese), rows));
        }
        String notice = switch (tier) {
            case PUBLIC -> chinese ? "公开信息。有合法利益者（维修、梯次利用、回收企业、电池持有方与生产者）和监管机构使用其 API 令牌可查看更多内容。"
                    : "Public information. Persons with a legitimate interest (repairers, second-life operators, recyclers, the battery's holder and maker) and authorities see more with their API token.";
            case LEGITIMATE_INTEREST -> chinese ? "合法利益者视图（欧盟 2023/1542 号条例附件 XIII 第 2、4 点）。" : "Legitimate-interest view (Reg. (EU) 2023/1542 Annex XIII points 2 and 4).";
            case AUTHORITY -> chinese ? "监管机构视图（附件 XIII 第 3 点）：全部内容。" : "Authority view (Annex XIII point 3): everything.";
        };
        String tierLabel = switch (tier) {
            case PUBLIC -> chinese ? "公开" : "Public";
            case LEGITIMATE_INTEREST -> chinese ? "合法利益者" : "Legitimate interest";
            case AUTHORITY -> chinese ? "监管机构" : "Authority";
        };
        String status = passport.path("passportStatus").asText();
        String statusText = switch (status) {
            case "ENDED" -> chinese ? "已终止（电池已再生利用）" : "Ended (battery recycled)";
            case "SUPERSEDED" -> chinese ? "已由梯次产品护照接续" : "Continued in the repurposed product's passport";
            default -> chinese ? "有效" : "Active";
        };
        String qrUrl = "/api/v1/batteries/" + code + "/qr?format=png&size=240";
        String other = "/p/" + code + "?lang=" + (chinese ? "en" : "zh");
        return new View(chinese, chinese ? "zh-CN" : "en", code, statusText, tierLabel, notice, pageUrl, qrUrl,
                passport.has("digitalLink") ? passport.get("digitalLink").asText() : null, sections, other, chinese ? "English" : "中文");
    }

    private static void rows(JsonNode node, String path, int depth, boolean chinese, List<Row> out) {
        node.fields().forEachRemaining(f -> {
            String child = path + "." + f.getKey();
            Attribute row = AttributeTable.get().row(child);
            String label = row == null ? f.getKey() : row.label(chinese);
            JsonNode value = f.getValue();
            if (value.isObject()) {
                out.add(new Row(depth, label, null, false));
                rows(value, child, depth + 1, chinese, out);
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    out.add(new Row(depth, label, "—", false));
                } else if (value.get(0).isContainerNode()) {
                    out.add(new Row(depth, label, null, false));
                    int i = 1;
                    for (JsonNode item : value) {
                        out.add(new Row(depth + 1, "#" + i++, null, false));
                        if (item.isObject()) {
                            rows(item, child + "[]", depth + 2, chinese, out);
                        }
                    }
                } else {
                    List<String> items = new ArrayList<>();
                    value.forEach(v -> items.add(text(v, chinese)));
                    out.add(new Row(depth, label, String.join(", ", items), false));
                }
            } else {
                String text = text(value, chinese);
                out.add(new Row(depth, label, text, text.startsWith("https://") || text.startsWith("http://")));
            }
        });
    }

    private static String text(JsonNode value, boolean chinese) {
        if (value.isBoolean()) {
            return value.booleanValue() ? (chinese ? "是" : "yes") : (chinese ? "否" : "no");
        }
        return value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
    }
}
