package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.IdentityTemplate;
import dev.latchkey.engine.ssh.keys.SshCertificateType;
import dev.latchkey.engine.ssh.role.CaRole;
import dev.latchkey.engine.ssh.role.SshRole;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Which principals a certificate carries, with identity templates expanded first. */
final class Principals {
    private Principals() {
    }

    /** Split on commas, trimmed, empties dropped, de-duplicated and sorted. */
    static List<String> parse(String list) {
        TreeSet<String> out = new TreeSet<>();
        for (String item : list.split(",")) {
            String p = item.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * @param requested {@code valid_principals} as sent, or null when the field was absent
     */
    static List<String> resolve(SshRole role, SshCertificateType type, String requested, Caller caller) {
        CaRole ca = role.ca();
        boolean user = type == SshCertificateType.USER;
        String defaultPrincipal = user ? expand(role.defaultUser(), ca.defaultUserTemplate(), caller) : "";
        List<String> principals = parse(requested != null ? requested : defaultPrincipal);
        if (principals.isEmpty() && !defaultPrincipal.isEmpty()) {
            principals = List.of(defaultPrincipal); // the whole default, as Vault falls back to it
        }
        if (principals.isEmpty()) {
            if (!ca.allowEmptyPrincipals()) {
                throw EngineException.user("empty valid principals not allowed by role");
            }
            return List.of();
        }
        String rawAllowed = user ? role.allowedUsers() : ca.allowedDomains();
        boolean template = user ? ca.allowedUsersTemplate() : ca.allowedDomainsTemplate();
        List<String> allowed = parse(expand(rawAllowed, template, caller));
        if (allowed.isEmpty()) {
            throw EngineException.user("role is not configured to allow any principals");
        }
        if (rawAllowed.equals("*")) {
            return principals;
        }
        for (String p : principals) {
            boolean ok = user ? allowed.contains(p) : hostAllowed(p, allowed, ca);
            if (!ok) {
                throw EngineException.user(p + " is not a valid value for valid_principals");
            }
        }
        return principals;
    }

    private static boolean hostAllowed(String principal, List<String> domains, CaRole ca) {
        for (String d : domains) {
            if ((ca.allowBareDomains() && principal.equals(d))
                    || (ca.allowSubdomains() && principal.endsWith("." + d))) {
                return true;
            }
        }
        return false;
    }

    static String expand(String text, boolean template, Caller caller) {
        return template && IdentityTemplate.isTemplate(text) ? IdentityTemplate.render(text, caller) : text;
    }
}
