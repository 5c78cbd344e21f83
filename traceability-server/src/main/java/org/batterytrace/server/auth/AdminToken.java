package org.batterytrace.server.auth;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.batterytrace.server.TraceConfig;
import org.jboss.logging.Logger;

/** The platform administrator's token: configured, or generated for this run and logged once. */
@ApplicationScoped
@Startup
public class AdminToken {
    private static final Logger LOG = Logger.getLogger(AdminToken.class);

    @Inject
    TraceConfig config;

    private String hash;

    @PostConstruct
    void init() {
        String token = config.admin().token().filter(t -> !t.isBlank()).orElse(null);
        if (token == null) {
            token = Tokens.newSecret();
            LOG.warnf("trace.admin.token is not set; platform administrator token for this run: %s", token);
        }
        hash = Tokens.hash(token);
    }

    public boolean matches(String tokenHash) {
        return Tokens.sameHash(hash, tokenHash);
    }
}
