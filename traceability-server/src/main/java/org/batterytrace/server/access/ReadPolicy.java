package org.batterytrace.server.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.passport.Tier;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.recycling.LotId;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.time.TraceClock;

/**
 * Who may read what — the API's one read policy (README, "Who may read what"). Every read of record
 * data goes through here.
 * <ul>
 * <li><b>Everyone</b>, anonymous included: organizations and their public keys (key events), a battery's
 * public summary and public passport tier, checkpoints, proofs and the log's hashes.</li>
 * <li><b>Parties</b> of a chain (battery or recycling lot) read its records: every organization that
 * acted on it or holds it, and the parties of the chains linked to it one step away (a cascade
 * product and its source packs, a pack and its modules and cells, a battery and the lot it went into).
 * A lot's inputs do not make their earlier holders parties of the lot: its records are the recycler's.</li>
 * <li><b>Regulators</b> read the chains registered (maker) or held (custodian) in their region scope.</li>
 * <li><b>Auditors</b> read what the organizations that granted them access may read, while a grant lasts.</li>
 * <li>The <b>platform administrator</b> reads everything.</li>
 * </ul>
 * Everyone else gets 403 for record data; the answers never depend on anything but the caller and the data.
 */
@ApplicationScoped
public class ReadPolicy {
    @Inject
    TraceClock clock;
    /** Subjects of the log entries that record auditor grants: {@code ACCESS-<grantor>}. */
    public static final String GRANTS_PREFIX = "ACCESS-";
    private static final int CHUNK = 400;

    @Inject
    Caller caller;
    @Inject
    EntityManager em;

    /** The records of one battery or lot chain (history, evidence, EPCIS, details, records by hash). */
    public void requireRecords(String subject) {
        caller.requireAuthenticated();
        if (!readable(List.of(subject)).contains(subject)) {
            throw new ProblemException(ProblemKind.NOT_A_PARTY, "only the parties of " + subject
                    + ", regulators of its region, auditors granted access by a party and the platform administrator may read its records");
        }
    }

    /** An organization's own business data (its late reports): itself, a regulator of its region, its granted auditors, the administrator. */
    public void requireOrganizationData(String orgId) {
        caller.requireAuthenticated();
        CreditCode.parse(orgId); // a malformed id is a 400 that says what is wrong with it
        if (caller.isAdmin()) {
            return;
        }
        OrganizationEntity reader = caller.organization().orElseThrow();
        if (reader.id.equals(orgId) || activeGrantors(reader).contains(orgId)) {
            return;
        }
        OrganizationEntity subject = OrganizationEntity.findById(orgId);
        if (subject != null && regionScope(reader).map(scope -> scope.contains(subject.region)).orElse(false)) {
            return;
        }
        throw new ProblemException(ProblemKind.NOT_YOUR_ORGANIZATION, "only " + orgId + " itself, a regulator of its region, an auditor it granted access and the platform administrator may see this");
    }

    /** Aggregate oversight (reports, timeliness, EPCIS windows): regulators within their region, the administrator everywhere. */
    public RegionScope requireOversight() {
        caller.requireAuthenticated();
        if (caller.isAdmin()) {
            return RegionScope.COUNTRY;
        }
        return regionScope(caller.organization().orElseThrow())
                .orElseThrow(() -> new ProblemException(ProblemKind.REGULATOR_REQUIRED, "only regulators and the platform administrator may see this"));
    }

    /** Roles of persons with a legitimate interest in any battery's passport (Reg. 2023/1542 Art. 77(2)): repair, second life, recycling. */
    private static final Set<Role> LEGITIMATE_INTEREST = Set.of(Role.REPAIRER, Role.SERVICE_POINT, Role.DISMANTLER, Role.CASCADE_ENTERPRISE, Role.RECYCLER);

    /**
     * Which passport tier the caller reads for {@code code} (Annex XIII): authority — the administrator and
     * the regulators of the battery's region; legitimate interest — whoever may read its records (its
     * parties and their granted auditors) and holders of the repair, second-life and recycling roles;
     * public — everyone else, anonymous callers included. What each tier shows is the passport's
     * attribute table ({@code org.batterytrace.passport.AttributeTable}).
     */
    public Tier passportTier(String code) {
        if (caller.isAdmin()) {
            return Tier.AUTHORITY;
        }
        Optional<OrganizationEntity> org = caller.organization();
        if (org.isEmpty()) {
            return Tier.PUBLIC;
        }
        boolean reads = readable(List.of(code)).contains(code);
        if (reads && regionScope(org.get()).isPresent()) {
            return Tier.AUTHORITY;
        }
        return reads || org.get().roleSet().stream().anyMatch(LEGITIMATE_INTEREST::contains) ? Tier.LEGITIMATE_INTEREST : Tier.PUBLIC;
    }

    /** A regulator's region scope; empty for an organization that is not a regulator. */
    public static Optional<RegionScope> regionScope(OrganizationEntity org) {
        if (!org.roleSet().contains(Role.REGULATOR)) {
            return Optional.empty();
        }
        return Optional.of(org.regionScope == null ? RegionScope.of(org.region) : RegionScope.parse(org.regionScope));
    }

    /** A JPQL condition on {@code BatteryEntity} that keeps the batteries whose records the caller may read; empty = all. */
    public Optional<Condition> batteryCondition() {
        caller.requireAuthenticated();
        if (caller.isAdmin()) {
            return Optional.empty();
        }
        OrganizationEntity reader = caller.organization().orElseThrow();
        Map<String, Object> params = new HashMap<>();
        params.put("readerOrgs", readingAs(reader));
        StringBuilder jpql = new StringBuilder("(custodian in :readerOrgs or code in (select e.subject from LogEntryEntity e where e.actor in :readerOrgs)");
        regionScope(reader).ifPresent(scope -> {
            jpql.append(" or maker in (select o.id from OrganizationEntity o where o.region like :readerRegion)")
                    .append(" or custodian in (select o.id from OrganizationEntity o where o.region like :readerRegion)");
            params.put("readerRegion", scope.likePattern());
        });
        return Optional.of(new Condition(jpql.append(')').toString(), params));
    }

    /** A query condition and its named parameters. */
    public record Condition(String jpql, Map<String, Object> params) {
    }

    /** The subjects among {@code subjects} whose records the caller may read (anonymous callers: public subjects only). */
    public Set<String> readable(Collection<String> subjects) {
        Set<String> readable = new HashSet<>();
        List<String> chains = new ArrayList<>();
        List<String> grantLogs = new ArrayList<>();
        for (String subject : new LinkedHashSet<>(subjects)) {
            if (isOrganization(subject) || subject.startsWith(OrganizationEvents.ORG_PREFIX) || subject.startsWith(OrganizationEvents.CODE_PREFIX)) {
                readable.add(subject); // key events (public keys) and organization facts (the public register and white list)
            } else if (subject.startsWith(GRANTS_PREFIX)) {
                grantLogs.add(subject);
            } else {
                chains.add(subject);
            }
        }
        if (caller.isAdmin()) {
            readable.addAll(chains);
            readable.addAll(grantLogs);
            return readable;
        }
        Optional<OrganizationEntity> org = caller.organization();
        if (org.isEmpty()) {
            return readable;
        }
        OrganizationEntity reader = org.get();
        Optional<RegionScope> scope = regionScope(reader);
        for (String subject : grantLogs) {
            String grantor = subject.substring(GRANTS_PREFIX.length());
            if (grantor.equals(reader.id) || AuditorGrantEntity.count("grantor = ?1 and auditor = ?2", grantor, reader.id) > 0
                    || scope.isPresent() && regionOf(grantor).map(scope.get()::contains).orElse(false)) {
                readable.add(subject);
            }
        }
        if (chains.isEmpty()) {
            return readable;
        }
        Map<String, Set<String>> links = links(chains);
        Set<String> involved = new HashSet<>(chains);
        links.values().forEach(involved::addAll);
        Set<String> partyOf = partyChains(readingAs(reader), involved);
        List<String> rest = new ArrayList<>();
        for (String subject : chains) {
            if (partyOf.contains(subject) || links.getOrDefault(subject, Set.of()).stream().anyMatch(partyOf::contains)) {
                readable.add(subject);
            } else {
                rest.add(subject);
            }
        }
        if (scope.isPresent() && !rest.isEmpty()) {
            readable.addAll(inRegion(rest, scope.get()));
        }
        return readable;
    }

    /** The organizations whose party status the reader borrows: itself, and for an auditor every organization whose grant is active now. */
    private Set<String> readingAs(OrganizationEntity reader) {
        Set<String> orgs = new HashSet<>();
        orgs.add(reader.id);
        orgs.addAll(activeGrantors(reader));
        return orgs;
    }

    private Set<String> activeGrantors(OrganizationEntity reader) {
        if (!reader.roleSet().contains(Role.AUDITOR)) {
            return Set.of();
        }
        var now = clock.now();
        Set<String> grantors = new HashSet<>();
        AuditorGrantEntity.<AuditorGrantEntity>list("auditor = ?1 and revokedAt is null", reader.id).stream()
                .filter(g -> g.activeAt(now)).forEach(g -> grantors.add(g.grantor));
        return grantors;
    }

    /** Chains one step from each subject: cascade sources and products, parent and parts, the lot a battery went into. */
    private Map<String, Set<String>> links(List<String> subjects) {
        Map<String, Set<String>> links = new HashMap<>();
        List<String> batteries = subjects.stream().filter(s -> !LotId.looksLikeLot(s)).toList();
        forChunks(batteries, chunk -> {
            List<?> rows = em.createNativeQuery("SELECT product_code, source_code FROM battery_source WHERE product_code IN (:s)"
                    + " UNION ALL SELECT source_code, product_code FROM battery_source WHERE source_code IN (:s)"
                    + " UNION ALL SELECT code, parent_code FROM battery WHERE parent_code IS NOT NULL AND code IN (:s)"
                    + " UNION ALL SELECT parent_code, code FROM battery WHERE parent_code IN (:s)"
                    + " UNION ALL SELECT battery_code, lot_id FROM lot_input WHERE battery_code IN (:s)").setParameter("s", chunk).getResultList();
            for (Object row : rows) {
                Object[] pair = (Object[]) row;
                links.computeIfAbsent(pair[0].toString().trim(), k -> new HashSet<>()).add(pair[1].toString().trim());
            }
            return null;
        });
        return links;
    }

    /** The subjects on whose chain one of {@code orgs} acted, or which one of them holds now. */
    private Set<String> partyChains(Set<String> orgs, Set<String> subjects) {
        Set<String> found = new HashSet<>();
        forChunks(new ArrayList<>(subjects), chunk -> {
            List<?> rows = em.createNativeQuery("SELECT subject FROM log_entry WHERE actor IN (:orgs) AND subject IN (:s)"
                    + " UNION SELECT code FROM battery WHERE custodian IN (:orgs) AND code IN (:s)"
                    + " UNION SELECT id FROM recycling_lot WHERE custodian IN (:orgs) AND id IN (:s)")
                    .setParameter("orgs", orgs).setParameter("s", chunk).getResultList();
            rows.forEach(r -> found.add(r.toString().trim()));
            return null;
        });
        return found;
    }

    /** Batteries made or held, and lots held, by an organization of the region. */
    private Set<String> inRegion(List<String> subjects, RegionScope scope) {
        Set<String> found = new HashSet<>();
        forChunks(subjects, chunk -> {
            List<?> rows = em.createNativeQuery("SELECT b.code FROM battery b JOIN organization m ON m.id = b.maker JOIN organization c ON c.id = b.custodian"
                    + " WHERE b.code IN (:s) AND (m.region LIKE :p OR c.region LIKE :p)"
                    + " UNION SELECT l.id FROM recycling_lot l JOIN organization c ON c.id = l.custodian WHERE l.id IN (:s) AND c.region LIKE :p")
                    .setParameter("s", chunk).setParameter("p", scope.likePattern()).getResultList();
            rows.forEach(r -> found.add(r.toString().trim()));
            return null;
        });
        return found;
    }

    private static Optional<String> regionOf(String orgId) {
        return Optional.ofNullable(OrganizationEntity.<OrganizationEntity>findById(orgId)).map(o -> o.region);
    }

    /** Key events are filed under the organization's 18-character credit code; battery codes have 19 or 24, lots and grants a prefix. */
    private static boolean isOrganization(String subject) {
        return subject.length() == 18 && !subject.startsWith(LotId.PREFIX) && !subject.startsWith(GRANTS_PREFIX);
    }

    private static void forChunks(List<String> keys, Function<List<String>, Void> work) {
        for (int from = 0; from < keys.size(); from += CHUNK) {
            work.apply(keys.subList(from, Math.min(keys.size(), from + CHUNK)));
        }
    }
}
