package org.batterytrace.passport;

import java.util.List;

/**
 * One row of the passport attribute table ({@code attributes.tsv}): a member path such as
 * {@code circularity.recycledContent[].postConsumerShare} ({@code []} = the items of a list), the kind of
 * value, who supplies it, the Battery Pass 1.2.0 longlist rows it carries, its access tier and its labels.
 */
public record Attribute(String path, Kind kind, Source source, List<Integer> longlist, Tier tier, String labelEn, String labelZh) {

    /** Who supplies a value. */
    public enum Source {
        /** Signed by the economic operator in a {@code PASSPORT_DECLARED} record (static data). */
        DECLARED,
        /** Signed in a {@code PASSPORT_UPDATED} record (dynamic data) by the custodian or the economic operator. */
        UPDATED,
        /** Computed by the platform from the battery's records; a record may not sign it. */
        SYSTEM;

        static Source fromCode(String code) {
            return switch (code) {
                case "D" -> DECLARED;
                case "U" -> UPDATED;
                case "S" -> SYSTEM;
                default -> throw new IllegalArgumentException("unknown source " + code);
            };
        }
    }

    /** The last path segment without {@code []}: the JSON member name. */
    public String member() {
        String last = path.substring(path.lastIndexOf('.') + 1);
        return last.endsWith("[]") ? last.substring(0, last.length() - 2) : last;
    }

    public String label(boolean chinese) {
        return chinese && !labelZh.isEmpty() ? labelZh : labelEn;
    }
}
