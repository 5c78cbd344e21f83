package org.batterytrace.server.organization;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.organization.OrganizationFacts;

@Entity
@Table(name = "organization")
public class OrganizationEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    /** Comma-separated {@link Role} names. */
    public String roles;
    public String region;
    /** A regulator's oversight: CN or a division-code prefix; null = the division of {@link #region}. */
    @Column(name = "region_scope")
    public String regionScope;
    public boolean qualified;
    @Column(name = "qualified_until")
    public LocalDate qualifiedUntil;
    @Column(name = "qualification_ref")
    public String qualificationRef;
    @Column(name = "created_at")
    public Instant createdAt;

    public Set<Role> roleSet() {
        if (roles == null || roles.isEmpty()) {
            return EnumSet.noneOf(Role.class);
        }
        return Arrays.stream(roles.split(",")).map(Role::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }

    public void roleSet(Set<Role> set) {
        roles = set.stream().sorted().map(Role::name).collect(Collectors.joining(","));
    }

    /** What the record rules read of this organization, with the manufacturer codes it filed. */
    public OrganizationFacts facts(Set<String> manufacturerCodes) {
        return new OrganizationFacts(id, roleSet(), OrganizationLog.qualification(this), manufacturerCodes);
    }

    /** On the white list for handling waste batteries on {@code day}. */
    public boolean qualifiedOn(LocalDate day) {
        return qualified && (qualifiedUntil == null || !day.isAfter(qualifiedUntil));
    }
}
