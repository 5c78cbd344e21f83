package org.batterytrace.server.console;

import java.util.Map;

/**
 * What every console page's layout shows: language and strings, the signed-in organization (null on the
 * sign-in page), its CSRF token for the page's scripts, and which navigation entries apply.
 */
public record ConsolePage(String lang, Map<String, String> m, String path, String orgId, String orgName, String roles, String csrf, boolean regulator,
        boolean enterprise, String title) {
    public String htmlLang() {
        return "zh".equals(lang) ? "zh-CN" : "en";
    }

    /** The same page in the other language. */
    public String otherLanguageUrl() {
        return path + (path.contains("?") ? "&" : "?") + "lang=" + ("zh".equals(lang) ? "en" : "zh");
    }

    public boolean signedIn() {
        return orgId != null;
    }
}
