package org.batterytrace.server.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Conditional GET for every cacheable answer: a successful GET whose resource declared a
 * {@code Cache-Control} other than {@code no-store} (see {@link CachePolicy}) gets an entity tag over
 * its content, and a request whose {@code If-None-Match} names that tag is answered {@code 304 Not
 * Modified} without a body. So a CDN or reverse proxy in front of the server revalidates a checkpoint or
 * a public passport for the price of a hash, and keeps immutable proofs and tiles for good.
 * <p>
 * The tag is weak ({@code W/"…"}, RFC 9110 §8.8.1): it hashes the answer's content and media type,
 * not the exact bytes a serializer writes, which is what revalidation needs.
 */
public class ConditionalGet {
    /** The mapper the answers are written with (java.time and all). */
    @Inject
    ObjectMapper mapper;

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) {
        if (!HttpMethod.GET.equals(request.getMethod()) || response.getStatus() != 200 || !response.hasEntity()
                || response.getHeaders().containsKey(HttpHeaders.ETAG)) {
            return;
        }
        Object cacheControl = response.getHeaders().getFirst(HttpHeaders.CACHE_CONTROL);
        if (cacheControl == null || cacheControl.toString().contains("no-store")) {
            return;
        }
        String tag = "W/\"" + contentHash(response.getEntity(), String.valueOf(response.getMediaType())) + "\"";
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
        String ifNoneMatch = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, tag)) {
            response.setEntity(null);
            response.setStatus(304);
        }
    }

    /** Weak comparison (RFC 9110 §13.1.2): any listed tag, weak or strong, with the same opaque value; or {@code *}. */
    static boolean matches(String ifNoneMatch, String tag) {
        String opaque = tag.substring(2);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(opaque) || c.equals("W/" + opaque)) {
                return true;
            }
        }
        return false;
    }

    private String contentHash(Object entity, String mediaType) {
        byte[] content;
        if (entity instanceof byte[] bytes) {
            content = bytes;
        } else if (entity instanceof String text) {
            content = text.getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                content = mapper.writeValueAsBytes(entity);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an answer that cannot be written as JSON", e);
            }
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(mediaType.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return HexFormat.of().formatHex(sha256.digest(content), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
