package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * A schema-driven fuzzer over the committed contract: every operation of openapi/traceability-api.yaml,
 * with a valid request generated from its schemas and then mutated (wrong types, null, empty, 1 MB
 * strings, NUL and non-BMP text, deep nesting, invalid JSON, duplicate members, wrong content types,
 * bad path and query values, 10 kB ids), each sent by four callers: no token, a wrong token (from an
 * address of its own, 127.0.0.3 and up, so its failures do not throttle the other tests), an unrelated
 * organization and the administrator. Every answer must be below 500; every error must be
 * application/problem+json naming no Java class; the server must be healthy afterwards.
 */
@QuarkusTest
public class ApiFuzzTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|jakarta|org|com|io|sun)\\.[a-z]+\\.[A-Za-z]");
    /** Wrong tokens come from 127.0.0.3 on, a new address every 40 requests, so they stay 401s below the throttle's limit of 50. */
    private int wrongTokens;

    private enum Caller {
        NONE, WRONG_TOKEN, OTHER_ORGANIZATION, ADMIN
    }

    private record Request(String method, String path, String contentType, byte[] body, String mutation) {
    }

    private JsonNode spec;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<Caller, String> tokens = new LinkedHashMap<>();

    @Test
    void noOperationAnswersAMutatedRequestWithAServerErrorOrANonProblem() throws Exception {
        spec = YAML.readTree(Path.of("..", "openapi", "traceability-api.yaml").toFile());
        fixtures();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        long started = System.nanoTime();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                for (Request request : requests(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), op.getValue())) {
                    for (Caller caller : Caller.values()) {
                        RawHttp.Answer answer = send(request, caller);
                        sent++;
                        statuses.merge(answer.status(), 1, Integer::sum);
                        String problem = check(answer);
                        if (problem != null) {
                            failures.add(request.method() + " " + shorten(request.path()) + " [" + request.mutation() + ", " + caller + "]: " + problem);
                        }
                    }
                }
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("API fuzz: %d requests in %d s; statuses %s; %d failures%n", sent, seconds, statuses, failures.size());
        assertEquals(List.of(), failures.stream().limit(40).toList(), failures.size() + " failures");
        assertEquals(200, RawHttp.get(null, "/q/health/ready", null).status(), "healthy after the fuzz run");
        assertTrue(sent > 2500, "the fuzzer covered too little: " + sent);
    }

    /** The problems with one answer, or null. */
    private static String check(RawHttp.Answer answer) {
        if (answer.status() >= 500) {
            return "status " + answer.status() + " " + shorten(answer.body());
        }
        if (answer.status() >= 400) {
            String type = answer.header("Content-Type");
            if (type == null || !type.startsWith("application/problem+json")) {
                return "status " + answer.status() + " with content type " + type;
            }
            if (CLASS_NAME.matcher(answer.body()).find()) {
                return "names a Java class: " + shorten(answer.body());
            }
        }
        return null;
    }

    private void fixtures() {
        Org target = Platform.organization(SignatureAlgorithm.ED25519, true, Role.BATTERY_MAKER, Role.RECYCLER, Role.VEHICLE_MAKER);
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org auditor = Platform.organization(SignatureAlgorithm.ED25519, false, Role.AUDITOR);
        String pack = Platform.newPackCode();
        var produced = target.record(pack, "PRODUCED", null);
        String lot = Platform.newLotId(target);
        target.record(lot, "LOT_OPENED", Platform.data("process", "HYDROMETALLURGY"));
        SignedRecord offer = target.prepareAndSign(pack, "TRANSFERRED", Platform.data("to", other.id));
        String transfer = target.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
        String token = Platform.admin().body(Map.of("label", "fuzz")).post("/api/v1/organizations/" + target.id + "/tokens").then().statusCode(201).extract().path("id");
        String grant = target.auth().body(Map.of("auditor", auditor.id)).post("/api/v1/organizations/" + target.id + "/auditor-grants")
                .then().statusCode(201).extract().path("id");
        ids.put("code", pack);
        ids.put("hash", produced.get("hash").textValue());
        ids.put("keyId", target.key.keyId());
        ids.put("tokenId", token);
        ids.put("grantId", grant);
        ids.put("org", target.id);
        ids.put("lot", lot);
        ids.put("transfer", transfer);
        tokens.put(Caller.WRONG_TOKEN, "bt_" + "w".repeat(43));
        tokens.put(Caller.OTHER_ORGANIZATION, other.token);
        tokens.put(Caller.ADMIN, Platform.ADMIN);
    }

    private RawHttp.Answer send(Request request, Caller caller) throws Exception {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (tokens.containsKey(caller)) {
            head.append("Authorization: Bearer ").append(tokens.get(caller)).append("\r\n");
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (request.body() != null) {
            head.append("Content-Type: ").append(request.contentType()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return RawHttp.send(caller == Caller.WRONG_TOKEN ? "127.0." + (wrongTokens / 40 / 250) + "." + (3 + wrongTokens++ / 40 % 250) : null, all);
    }

    private List<Request> requests(String method, String template, JsonNode op) {
        List<JsonNode> parameters = new ArrayList<>();
        op.path("parameters").forEach(parameters::add);
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> queryValues = new LinkedHashMap<>();
        for (JsonNode p : parameters) {
            String name = p.get("name").textValue();
            if ("path".equals(p.path("in").textValue())) {
                pathValues.put(name, pathValue(template, name));
            } else if ("query".equals(p.path("in").textValue())) {
                JsonNode example = valid(p.path("schema"), name, 0);
                queryValues.put(name, example.isTextual() ? example.textValue() : example.toString());
            }
        }
        JsonNode bodySchema = op.path("requestBody").path("content").path("application/json").path("schema");
        byte[] validBody = bodySchema.isMissingNode() ? null : bytes(valid(bodySchema, "body", 0));
        List<Request> requests = new ArrayList<>();
        requests.add(new Request(method, url(template, pathValues, queryValues), "application/json", validBody, "valid"));
        for (String name : pathValues.keySet()) {
            for (String bad : List.of("%00", "..%2F..%2Flog%2Fkey", "A".repeat(10_000), "%E7%94%B5%E6%B1%A0%F0%9F%94%8B", "-1", "%20")) {
                Map<String, String> mutated = new LinkedHashMap<>(pathValues);
                mutated.put(name, bad);
                requests.add(new Request(method, url(template, mutated, queryValues), "application/json", validBody, "path " + name));
            }
        }
        for (String name : queryValues.keySet()) {
            for (String bad : List.of("abc", "-1", "99999999999999999999", "", "%00", "NOT_A_VALUE", "2026-13-45T99:00:00Z", "x".repeat(10_000))) {
                Map<String, String> mutated = new LinkedHashMap<>(queryValues);
                mutated.put(name, bad);
                requests.add(new Request(method, url(template, pathValues, mutated), "application/json", validBody, "query " + name));
            }
        }
        if (validBody != null) {
            String url = url(template, pathValues, queryValues);
            JsonNode valid = valid(bodySchema, "body", 0);
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            bodies.put("null", utf8("null"));
            bodies.put("empty object", utf8("{}"));
            bodies.put("empty body", new byte[0]);
            bodies.put("array", utf8("[]"));
            bodies.put("string", utf8("\"text\""));
            bodies.put("number", utf8("42"));
            bodies.put("invalid JSON", utf8("{\"a\":"));
            bodies.put("trailing content", utf8(valid + " {}"));
            bodies.put("deep nesting", utf8("[".repeat(5000) + "]".repeat(5000)));
            bodies.put("not UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
            if (valid.isObject() && valid.size() > 0) {
                String first = valid.fieldNames().next();
                String text = valid.toString();
                bodies.put("duplicate member", utf8("{\"" + first + "\":" + valid.get(first) + "," + text.substring(1)));
                for (Iterator<String> names = valid.fieldNames(); names.hasNext();) {
                    String name = names.next();
                    bodies.put("wrong type " + name, bytes(((ObjectNode) valid.deepCopy()).set(name, wrongType(valid.get(name)))));
                    bodies.put("null " + name, bytes(((ObjectNode) valid.deepCopy()).putNull(name)));
                }
                bodies.put("1 MB string", bytes(((ObjectNode) valid.deepCopy()).put(first, "x".repeat(1_000_000))));
                bodies.put("NUL and non-BMP text", bytes(((ObjectNode) valid.deepCopy()).put(first, "电池\u0000\uD83D\uDD0B\u202E")));
            }
            bodies.forEach((name, body) -> requests.add(new Request(method, url, "application/json", body, "body " + name)));
            requests.add(new Request(method, url, "text/plain", validBody, "content type text/plain"));
            requests.add(new Request(method, url, "application/xml", utf8("<a/>"), "content type application/xml"));
        }
        return requests;
    }

    private String pathValue(String template, String name) {
        return switch (name) {
            case "code", "hash", "keyId", "tokenId", "grantId" -> ids.get(name);
            case "id" -> template.startsWith("/api/v1/lots") ? ids.get("lot") : template.startsWith("/api/v1/transfers") ? ids.get("transfer") : ids.get("org");
            default -> "x";
        };
    }

    /** A value that satisfies {@code schema} as far as a generator can tell (formats and enums respected, references followed). */
    private JsonNode valid(JsonNode schema, String name, int depth) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").textValue();
            return valid(spec.at(ref.substring(1)), name, depth + 1);
        }
        if (depth > 6) {
            return F.nullNode();
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        if (schema.has("examples") && schema.get("examples").isArray() && schema.get("examples").size() > 0) {
            return schema.get("examples").get(0);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        switch (type) {
            case "object" -> {
                ObjectNode object = F.objectNode();
                schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), valid(p.getValue(), p.getKey(), depth + 1)));
                return object;
            }
            case "array" -> {
                ArrayNode array = F.arrayNode();
                array.add(valid(schema.path("items"), name, depth + 1));
                return array;
            }
            case "integer", "number" -> {
                return F.numberNode(schema.has("minimum") ? schema.get("minimum").asLong() : 1);
            }
            case "boolean" -> {
                return F.booleanNode(true);
            }
            default -> {
                String format = schema.path("format").asText("");
                return F.textNode(switch (format) {
                    case "date" -> "2026-11-01";
                    case "date-time" -> "2026-11-01T00:00:00Z";
                    default -> ids.getOrDefault(name, "x");
                });
            }
        }
    }

    private static JsonNode wrongType(JsonNode value) {
        if (value == null || value.isTextual()) {
            return F.numberNode(123);
        }
        if (value.isNumber() || value.isBoolean()) {
            return F.textNode("not-a-" + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.isArray() ? F.objectNode().put("a", 1) : F.arrayNode().add(1);
    }

    private static String url(String template, Map<String, String> pathValues, Map<String, String> query) {
        String path = template;
        for (Map.Entry<String, String> p : pathValues.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        StringBuilder url = new StringBuilder(path);
        char separator = '?';
        for (Map.Entry<String, String> q : query.entrySet()) {
            String value = q.getValue().contains("%") ? q.getValue() : URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8);
            url.append(separator).append(q.getKey()).append('=').append(value);
            separator = '&';
        }
        return url.toString();
    }

    private static byte[] bytes(JsonNode node) {
        return utf8(node.toString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String shorten(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }
}
