package org.batterytrace.examples.client;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.batterytrace.client.ApiClient;
import org.batterytrace.client.ApiException;
import org.batterytrace.client.api.BatteriesApi;
import org.batterytrace.client.api.LogApi;
import org.batterytrace.client.api.OrganizationsApi;
import org.batterytrace.client.api.RecordsApi;
import org.batterytrace.client.api.TransfersApi;
import org.batterytrace.client.model.AcceptedRecord;
import org.batterytrace.client.model.Checkpoint;
import org.batterytrace.client.model.EvidenceBundle;
import org.batterytrace.client.model.NewKey;
import org.batterytrace.client.model.NewOrganization;
import org.batterytrace.client.model.NewToken;
import org.batterytrace.client.model.Passport;
import org.batterytrace.client.model.PrepareRequest;
import org.batterytrace.client.model.PreparedRecord;
import org.batterytrace.client.model.Qualification;
import org.batterytrace.client.model.RecordSignature;
import org.batterytrace.client.model.Role;
import org.batterytrace.client.model.SignedRecord;
import org.batterytrace.client.model.Transfer;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;

/**
 * An integrator's lifecycle through the client generated from {@code openapi/traceability-api.yaml}, signing with
 * the core's {@link SigningKey}: three enterprises, a pack produced, handed to a vehicle maker and on to a recycler
 * by two-party transfers, then its evidence bundle, its passport at each tier and the log's checkpoint.
 * Run against a server: {@code ./mvnw -q -pl examples/java-client -am install -DskipTests &&
 * ./mvnw -q -pl examples/java-client exec:java -Dexec.args="http://localhost:8080 change-me"}.
 */
public final class Lifecycle {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An enterprise: its credit code, a client that sends its API token, and its Ed25519 key. */
    record Party(String id, ApiClient client, SigningKey key) {
    }

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? args[0] : "http://localhost:8080", args.length > 1 ? args[1] : "change-me", System.out);
    }

    /** Runs the lifecycle on the server at {@code baseUri} (without /api/v1); returns the pack's code. */
    public static String run(String baseUri, String adminToken, PrintStream out) throws ApiException, InterruptedException {
        ApiClient admin = client(baseUri, adminToken);
        Party maker = party(admin, baseUri, "Hunan Cell Works", Role.BATTERY_MAKER, false);
        Party oem = party(admin, baseUri, "Changsha Motors", Role.VEHICLE_MAKER, false);
        Party recycler = party(admin, baseUri, "Hengyang Metals Recycling", Role.RECYCLER, true);

        String pack = BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.NCM, "A7", "HN24L01", LocalDate.of(2026, 3, 14), RANDOM.nextInt(1, 9_999_999)).value();
        record(maker, pack, "PRODUCED", Map.of("ratedEnergyWh", 75000, "massGrams", 452000), out);
        transfer(maker, oem, pack, out);
        record(oem, pack, "INSTALLED", Map.of("vin", "LSVAU218XN2183294"), out);
        record(oem, pack, "RETIRED", Map.of("reason", "capacity fade"), out);
        transfer(oem, recycler, pack, out);
        AcceptedRecord collected = record(recycler, pack, "COLLECTED", Map.of(), out);

        // The evidence bundle, typed; the core's verifier checks it offline against the log's pinned key.
        EvidenceBundle evidence = new BatteriesApi(recycler.client()).getBatteryEvidence(pack);
        String logKey = require(new LogApi(client(baseUri, null)).getLogKey(null).getVerifierKey());
        VerificationReport report = Verifier.pinning(NoteKey.parse(logKey))
                .verify(org.batterytrace.audit.EvidenceBundle.fromJson(recycler.client().getObjectMapper().valueToTree(evidence)));
        if (!report.ok() || evidence.getRecords().size() != 6) {
            throw new IllegalStateException("evidence bundle of " + evidence.getRecords().size() + " records: " + report.findings());
        }
        out.printf("evidence bundle %s: %d records, %d key events, %d map proofs; verified offline%n", evidence.getFormat(), evidence.getRecords().size(),
                evidence.getKeyEvents().size(), evidence.getMapProofs().size());
        // The passport's tier follows the caller: anonymous, a recycler (legitimate interest), the administrator.
        for (var reader : List.of(Map.entry("public", client(baseUri, null)), Map.entry("legitimate-interest", recycler.client()), Map.entry("authority", admin))) {
            Passport passport = new BatteriesApi(reader.getValue()).getPassport(pack, null); // no If-None-Match: a fresh answer
            if (!reader.getKey().equals(passport.getAccessTier())) {
                throw new IllegalStateException("expected the " + reader.getKey() + " passport, got " + passport.getAccessTier());
            }
            out.printf("passport %s at tier %s: %s%n", passport.getBatteryIdentifier(), passport.getAccessTier(), require(passport.getPassportUrl()));
        }
        // The log index is durable at once; a checkpoint covers it within about a second.
        Checkpoint checkpoint = new LogApi(client(baseUri, null)).getCheckpoint(null);
        for (int i = 0; i < 100 && checkpoint.getSize() <= collected.getLogIndex(); i++) {
            Thread.sleep(100);
            checkpoint = new LogApi(client(baseUri, null)).getCheckpoint(null);
        }
        require(checkpoint.getNote());
        out.printf("checkpoint %s size %d root %s%n", require(checkpoint.getOrigin()), checkpoint.getSize(), require(checkpoint.getRootHash()));
        return pack;
    }

    /** The administrator registers the enterprise; with the token's secret from the typed answer, it registers its own key. */
    static Party party(ApiClient admin, String baseUri, String name, Role role, boolean qualified) throws ApiException {
        String id = CreditCode.withCheckCharacter("91430100" + String.format("%09d", RANDOM.nextInt(1_000_000_000))).value();
        new OrganizationsApi(admin).createOrganization(new NewOrganization().id(id).name(name).roles(Set.of(role)).region("430100")
                .qualification(new Qualification().qualified(qualified).validUntil(LocalDate.of(2030, 12, 31)).reference("MIIT-WL-2026")));
        String token = require(new OrganizationsApi(admin).issueToken(id, new NewToken().label("java-client")).getToken());
        Party party = new Party(id, client(baseUri, token), SigningKey.generate(SignatureAlgorithm.ED25519));
        String keyId = new OrganizationsApi(party.client()).registerKey(id, new NewKey().publicKeyPem(party.key().publicKey().toPem())).getKeyId();
        if (!party.key().keyId().equals(keyId)) {
            throw new IllegalStateException("server named key " + keyId + ", expected " + party.key().keyId());
        }
        return party;
    }

    static AcceptedRecord record(Party party, String subject, String type, Map<String, Object> data, PrintStream out) throws ApiException {
        PreparedRecord prepared = new RecordsApi(party.client()).prepareRecord(new PrepareRequest().subject(subject).type(type).data(data));
        AcceptedRecord accepted = new RecordsApi(party.client()).submitRecord(new SignedRecord().record(prepared.getRecord()).signatures(List.of(sign(party, prepared))));
        out.printf("#%d %-11s %s at %s, log index %d%n", accepted.getSeq(), type, require(accepted.getState()), accepted.getCustodian(), accepted.getLogIndex());
        return accepted;
    }

    /** The holder signs the TRANSFERRED offer; the receiver signs the same bytes to accept it. */
    static void transfer(Party from, Party to, String subject, PrintStream out) throws ApiException {
        PreparedRecord prepared = new RecordsApi(from.client()).prepareRecord(new PrepareRequest().subject(subject).type("TRANSFERRED").data(Map.of("to", to.id())));
        Transfer offer = new TransfersApi(from.client()).offerTransfer(new SignedRecord().record(prepared.getRecord()).signatures(List.of(sign(from, prepared))));
        AcceptedRecord accepted = new TransfersApi(to.client()).acceptTransfer(offer.getId(), sign(to, prepared));
        out.printf("#%d TRANSFERRED %s now held by %s, log index %d%n", accepted.getSeq(), accepted.getState(), require(accepted.getCustodian()), accepted.getLogIndex());
    }

    /**
     * Signs the prepared record with the core: the record is rebuilt from its fields and canonicalized locally
     * (RFC 8785), so the signer never signs bytes it has not checked against what it asked for.
     */
    static RecordSignature sign(Party party, PreparedRecord prepared) {
        var record = org.batterytrace.record.TraceRecord.fromJson(party.client().getObjectMapper().valueToTree(prepared.getRecord()));
        if (!Arrays.equals(record.canonicalBytes(), Base64.getUrlDecoder().decode(prepared.getCanonicalBase64Url()))) {
            throw new IllegalStateException("the server's canonical bytes differ from the record's");
        }
        return Json.MAPPER.convertValue(party.key().sign(record).toJson(), RecordSignature.class);
    }

    /** A client for the API; with a token, every request carries it as a bearer token. */
    static ApiClient client(String baseUri, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    static <T> T require(T value) {
        if (value == null || value instanceof String s && s.isEmpty()) {
            throw new IllegalStateException("a typed field came back empty");
        }
        return value;
    }
}
