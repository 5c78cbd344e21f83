package org.batterytrace.server.organization;

import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.access.RegionScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import org.batterytrace.lifecycle.Role;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the organization endpoints. */
public final class OrganizationDtos {
    private OrganizationDtos() {
    }

    @Schema(name = "NewOrganization")
    public record NewOrganization(
            @NotBlank @Schema(description = "18-character unified social credit code (check character validated)", examples = "91430100MA4L0001XA") String id,
            @NotBlank @Size(max = 200) String name,
            @NotEmpty Set<@NotNull Role> roles,
            @NotBlank @Pattern(regexp = "\\d{6}", message = "must be a 6-digit administrative division code") @Schema(examples = "430100") String region,
            @Valid Qualification qualification,
            @Schema(description = "GB/T 34014 manufacturer codes filed by the enterprise (3 characters each); codes it registers must use one of them")
            Set<@NotNull @Pattern(regexp = "[0-9A-Z]{3}", message = "must be 3 characters 0-9 A-Z") String> manufacturerCodes,
            @Schema(description = "Regulators only: the region they oversee, CN (the whole country) or a 2-, 4- or 6-digit division prefix; "
                    + "default the division of region (430000 -> 43, 430100 -> 4301)", examples = "43")
            String regionScope) {
    }

    @Schema(name = "Qualification", description = "White-list status for handling waste batteries (MIIT 综合利用 white list)")
    public record Qualification(boolean qualified, LocalDate validUntil, @Size(max = 200) String reference) {
    }

    @Schema(name = "Organization")
    public record OrganizationView(String id, String name, Set<Role> roles, String region, boolean qualified, LocalDate qualifiedUntil,
            String qualificationReference, java.util.List<String> manufacturerCodes,
            @Schema(description = "Regulators: the region they oversee (CN or a division prefix)") String regionScope, Instant createdAt) {
        public static OrganizationView of(OrganizationEntity e) {
            return new OrganizationView(e.id, e.name, e.roleSet(), e.region, e.qualified, e.qualifiedUntil, e.qualificationRef,
                    ManufacturerCodeEntity.codesOf(e.id), ReadPolicy.regionScope(e).map(RegionScope::label).orElse(null), e.createdAt);
        }
    }

    @Schema(name = "NewKey")
    public record NewKey(@NotBlank @Schema(description = "PEM SubjectPublicKeyInfo of an Ed25519, SM2 or P-256 key") String publicKeyPem,
            @Schema(description = "RFC 3339 start of validity in the past, for back-filling an enterprise's earlier records (administrator only); default now")
            String validFrom) {
    }

    @Schema(name = "Key")
    public record KeyView(String keyId, String alg, String publicKeyPem, Instant validFrom, Instant revokedAt, long logIndex) {
    }

    @Schema(name = "NewToken")
    public record NewToken(@Size(max = 200) String label) {
    }

    @Schema(name = "IssuedToken", description = "The secret is shown only here, once", requiredProperties = {"id", "token", "createdAt"})
    public record IssuedToken(String id, String token, String label, Instant createdAt) {
    }

    @Schema(name = "Token")
    public record TokenView(String id, String label, Instant createdAt, Instant revokedAt) {
    }
}
