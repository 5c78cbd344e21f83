package org.batterytrace.server.organization;

import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.auth.ApiTokenEntity;
import org.batterytrace.server.auth.Tokens;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.organization.OrganizationDtos.IssuedToken;
import org.batterytrace.server.organization.OrganizationDtos.NewOrganization;
import org.batterytrace.server.organization.OrganizationDtos.Qualification;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.time.TraceClock;

@ApplicationScoped
public class OrganizationService {
    @Inject
    TraceClock clock;
    @Inject
    OrganizationLog facts;
    @Inject
    FactsCache factsCache;

    @Transactional
    public OrganizationEntity register(NewOrganization request) {
        String id = CreditCode.parse(request.id()).value();
        if (OrganizationEntity.findById(id) != null) {
            throw new ProblemException(ProblemKind.ORGANIZATION_EXISTS, "organization " + id + " is already registered");
        }
        if (request.roles().contains(Role.PLATFORM_ADMIN)) {
            throw new ProblemException(ProblemKind.INVALID_ROLE, "PLATFORM_ADMIN is held by the platform's admin token, not by organizations");
        }
        OrganizationEntity org = new OrganizationEntity();
        org.id = id;
        org.name = request.name().trim();
        org.roleSet(EnumSet.copyOf(request.roles()));
        org.region = request.region();
        if (request.regionScope() != null) {
            if (!request.roles().contains(Role.REGULATOR)) {
                throw new ProblemException(ProblemKind.INVALID_REGION_SCOPE, "only regulators have a region scope");
            }
            org.regionScope = RegionScope.parse(request.regionScope()).label();
        }
        org.createdAt = clock.now();
        apply(org, request.qualification());
        org.persist();
        Set<String> codes = request.manufacturerCodes() == null ? Set.of() : new TreeSet<>(request.manufacturerCodes());
        if (!codes.isEmpty()) {
            for (String code : codes) {
                ManufacturerCodeEntity existing = ManufacturerCodeEntity.findById(code);
                if (existing != null) {
                    throw new ProblemException(ProblemKind.MANUFACTURER_CODE_TAKEN, "manufacturer code " + code + " is filed by " + existing.orgId);
                }
                ManufacturerCodeEntity filed = new ManufacturerCodeEntity();
                filed.code = code;
                filed.orgId = id;
                filed.persist();
            }
        }
        facts.registered(org, codes, request.qualification() != null);
        return org;
    }

    @Transactional
    public OrganizationEntity qualify(String id, Qualification qualification) {
        if (qualification == null) {
            throw new ProblemException(ProblemKind.INVALID_REQUEST, "a qualification body is required");
        }
        OrganizationEntity org = require(id);
        apply(org, qualification);
        facts.qualified(org);
        return org;
    }

    public OrganizationEntity require(String id) {
        OrganizationEntity org = OrganizationEntity.findById(id);
        if (org == null) {
            CreditCode.parse(id); // a malformed id is a 400 that says what is wrong with it, not a 404
            throw new ProblemException(ProblemKind.ORGANIZATION_NOT_FOUND, "no organization " + id);
        }
        return org;
    }

    public List<OrganizationEntity> list(Role role, Boolean qualified, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        var params = new java.util.HashMap<String, Object>();
        if (role != null) {
            query.append(" and roles like :role");
            params.put("role", "%" + role.name() + "%");
        }
        if (qualified != null) {
            query.append(" and qualified = :qualified");
            params.put("qualified", qualified);
        }
        return OrganizationEntity.<OrganizationEntity>find(query + " order by id", params).page(Page.of(page, size)).list()
                .stream().filter(o -> role == null || o.roleSet().contains(role)).toList();
    }

    @Transactional
    public IssuedToken issueToken(String orgId, String label) {
        require(orgId);
        String secret = Tokens.newSecret();
        ApiTokenEntity token = new ApiTokenEntity();
        token.id = UUID.randomUUID().toString();
        token.orgId = orgId;
        token.tokenHash = Tokens.hash(secret);
        token.label = label;
        token.createdAt = clock.now();
        token.persist();
        return new IssuedToken(token.id, secret, label, token.createdAt);
    }

    public List<ApiTokenEntity> tokens(String orgId) {
        require(orgId);
        return ApiTokenEntity.list("orgId = ?1 order by createdAt", orgId);
    }

    @Transactional
    public ApiTokenEntity revokeToken(String orgId, String tokenId) {
        ApiTokenEntity token = ApiTokenEntity.findById(tokenId);
        if (token == null || !token.orgId.equals(orgId)) {
            throw new ProblemException(ProblemKind.TOKEN_NOT_FOUND, "organization " + orgId + " has no token " + tokenId);
        }
        if (token.revokedAt == null) {
            token.revokedAt = clock.now();
            factsCache.changed(); // a write checked with the token before this commits is checked again under the log lock
        }
        return token;
    }

    private static void apply(OrganizationEntity org, Qualification qualification) {
        org.qualified = qualification != null && qualification.qualified();
        org.qualifiedUntil = qualification == null ? null : qualification.validUntil();
        org.qualificationRef = qualification == null ? null : qualification.reference();
    }
}
