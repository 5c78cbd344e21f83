package org.batterytrace.organization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.TraceRecord;

/**
 * Organization facts as log entries (docs/record-format.md §5.1), written like key events: actor = the log
 * (platform) origin, signed by the log key, appended to the same log as battery records.
 * <ul>
 * <li>Subject {@code ORG-<id>}: {@value #REGISTERED} {@code {"name", "roles", "region"?, "regionScope"?,
 * "manufacturerCodes"}} opens the chain; each {@value #QUALIFIED} {@code {"qualified", "validUntil"?,
 * "reference"?}} replaces the white-list decision.
 * <li>Subject {@code MFR-<code>}: one {@value #CODE_FILED} {@code {"organization"}}, so the map's head of
 * that subject proves who filed a manufacturer code, or that nobody did.
 * </ul>
 * Facts apply to the records logged after them: the verifier and the server judge a record by the facts
 * at lower log indexes.
 */
public final class OrganizationEvents {
    public static final String REGISTERED = "ORG_REGISTERED";
    public static final String QUALIFIED = "ORG_QUALIFIED";
    public static final String CODE_FILED = "MANUFACTURER_CODE_FILED";
    public static final String ORG_PREFIX = "ORG-";
    public static final String CODE_PREFIX = "MFR-";
    private static final Pattern MANUFACTURER_CODE = Pattern.compile("[0-9A-Z]{3}");

    private OrganizationEvents() {
    }

    /** The subject of an organization's facts chain. */
    public static String factsSubject(String organization) {
        return ORG_PREFIX + organization;
    }

    /** The subject of a manufacturer code's filing chain. */
    public static String codeSubject(String manufacturerCode) {
        return CODE_PREFIX + manufacturerCode;
    }

    public static boolean isFactType(String type) {
        return REGISTERED.equals(type) || QUALIFIED.equals(type) || CODE_FILED.equals(type);
    }

    public static TraceRecord registration(String organization, Instant time, String platform, String name, Set<Role> roles, String region, String regionScope,
            Set<String> manufacturerCodes) {
        ObjectNode data = Json.object();
        data.put("name", name);
        ArrayNode roleNames = data.putArray("roles");
        new TreeSet<>(roles.stream().map(Role::name).toList()).forEach(roleNames::add);
        if (region != null) {
            data.put("region", region);
        }
        if (regionScope != null) {
            data.put("regionScope", regionScope);
        }
        ArrayNode codes = data.putArray("manufacturerCodes");
        new TreeSet<>(manufacturerCodes).forEach(codes::add);
        return TraceRecord.of(factsSubject(organization), 1, null, REGISTERED, time, platform, data);
    }

    public static TraceRecord qualification(String organization, long seq, String prev, Instant time, String platform, OrganizationFacts.Qualification q) {
        ObjectNode data = Json.object();
        data.put("qualified", q.qualified());
        if (q.validUntil() != null) {
            data.put("validUntil", q.validUntil().toString());
        }
        if (q.reference() != null) {
            data.put("reference", q.reference());
        }
        return TraceRecord.of(factsSubject(organization), seq, prev, QUALIFIED, time, platform, data);
    }

    public static TraceRecord codeFiling(String manufacturerCode, Instant time, String platform, String organization) {
        ObjectNode data = Json.object();
        data.put("organization", organization);
        return TraceRecord.of(codeSubject(manufacturerCode), 1, null, CODE_FILED, time, platform, data);
    }

    /**
     * The facts after one event of an organization's facts chain.
     *
     * @param before the facts so far, or {@code null} before the chain's first event
     * @throws RecordFormatException when the event cannot follow {@code before} or its data is malformed
     */
    public static OrganizationFacts apply(OrganizationFacts before, TraceRecord event) {
        if (!event.subject().startsWith(ORG_PREFIX)) {
            throw new RecordFormatException(event.type() + " must be about " + ORG_PREFIX + "<organization>, not " + event.subject());
        }
        String organization = event.subject().substring(ORG_PREFIX.length());
        switch (event.type()) {
            case REGISTERED -> {
                if (before != null) {
                    throw new RecordFormatException(organization + " is registered twice");
                }
                JsonNode data = event.data();
                text(data, "name", false);
                text(data, "region", true);
                text(data, "regionScope", true);
                Set<Role> roles = EnumSet.noneOf(Role.class);
                for (JsonNode role : array(data, "roles")) {
                    try {
                        roles.add(Role.valueOf(role.asText()));
                    } catch (IllegalArgumentException e) {
                        throw new RecordFormatException(REGISTERED + " names an unknown role " + role);
                    }
                }
                Set<String> codes = new TreeSet<>();
                for (JsonNode code : array(data, "manufacturerCodes")) {
                    if (!code.isTextual() || !MANUFACTURER_CODE.matcher(code.textValue()).matches()) {
                        throw new RecordFormatException(REGISTERED + " names a malformed manufacturer code " + code);
                    }
                    codes.add(code.textValue());
                }
                return new OrganizationFacts(organization, roles, OrganizationFacts.Qualification.NONE, codes);
            }
            case QUALIFIED -> {
                if (before == null) {
                    throw new RecordFormatException(organization + " is qualified before it is registered");
                }
                JsonNode qualified = event.dataField("qualified");
                if (qualified == null || !qualified.isBoolean()) {
                    throw new RecordFormatException(QUALIFIED + ".data.qualified must be true or false");
                }
                String until = text(event.data(), "validUntil", true);
                try {
                    return before.withQualification(new OrganizationFacts.Qualification(qualified.booleanValue(), until == null ? null : LocalDate.parse(until),
                            text(event.data(), "reference", true)));
                } catch (DateTimeParseException e) {
                    throw new RecordFormatException(QUALIFIED + ".data.validUntil must be a date YYYY-MM-DD");
                }
            }
            default -> throw new RecordFormatException("unknown organization event type " + event.type());
        }
    }

    /**
     * The organization a {@value #CODE_FILED} entry names.
     *
     * @throws RecordFormatException when the entry is not a well-formed first filing of a manufacturer code
     */
    public static String filer(TraceRecord filing) {
        if (!CODE_FILED.equals(filing.type()) || !filing.subject().startsWith(CODE_PREFIX)
                || !MANUFACTURER_CODE.matcher(filing.subject().substring(CODE_PREFIX.length())).matches()) {
            throw new RecordFormatException("a manufacturer-code chain holds one " + CODE_FILED + " about " + CODE_PREFIX + "<3-character code>");
        }
        if (filing.seq() != 1) {
            throw new RecordFormatException(filing.subject() + " is filed once");
        }
        return text(filing.data(), "organization", false);
    }

    private static String text(JsonNode data, String name, boolean optional) {
        JsonNode value = data.get(name);
        if (value == null && optional) {
            return null;
        }
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new RecordFormatException("organization event data." + name + " must be a non-empty string");
        }
        return value.textValue();
    }

    private static JsonNode array(JsonNode data, String name) {
        JsonNode value = data.get(name);
        if (value == null || !value.isArray()) {
            throw new RecordFormatException("organization event data." + name + " must be an array");
        }
        return value;
    }
}
