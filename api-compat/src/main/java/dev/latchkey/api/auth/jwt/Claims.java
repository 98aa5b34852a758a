package dev.latchkey.api.auth.jwt;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.Glob;
import dev.latchkey.engine.gocompat.GoFormat;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks a JWT (or an OIDC ID token) goes through before it may log in, in the order and with
 * the words of Vault's JWT plugin: signature, algorithm, issuer, subject, audience, time claims,
 * then the role's user claim, claim mappings, groups claim and bound claims.
 */
final class Claims {
    /** What a token that passed gives the login. */
    record Passed(String user, Map<String, String> metadata) {
    }

    private Claims() {
    }

    static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw EngineException.user("error validating token: error parsing token: " + e.getMessage());
        }
    }

    /**
     * @param allowedAlgs the configured allow-list; empty allows every supported algorithm
     * @param issuer      the {@code iss} to require, or "" for none
     */
    static Map<String, Object> validate(SignedJWT jwt, KeySource keys, List<String> allowedAlgs, String issuer,
                                        JwtRole role, long now) {
        if (!keys.verifies(jwt)) {
            throw invalid("error verifying token signature: " + (keys.remote() ? "failed to verify id token signature"
                    : "no known key successfully validated the token signature"));
        }
        String alg = jwt.getHeader().getAlgorithm().getName();
        if (!Keys.SUPPORTED.contains(alg) || (!allowedAlgs.isEmpty() && !allowedAlgs.contains(alg))) {
            throw invalid("invalid algorithm (alg) header parameter: token signed with unexpected algorithm");
        }
        Map<String, Object> claims;
        try {
            claims = jwt.getJWTClaimsSet().toJSONObject();
        } catch (ParseException e) {
            throw invalid("error parsing claims: " + e.getMessage());
        }
        if (!issuer.isEmpty() && !issuer.equals(claims.get("iss"))) {
            throw invalid("invalid issuer (iss) claim");
        }
        if (!role.boundSubject().isEmpty() && !role.boundSubject().equals(claims.get("sub"))) {
            throw invalid("invalid subject (sub) claim");
        }
        List<String> aud = audiences(claims.get("aud"));
        if (!role.boundAudiences().isEmpty() && role.boundAudiences().stream().noneMatch(aud::contains)) {
            throw invalid("invalid audience (aud) claim: audience claim does not match any expected audience");
        }
        times(claims, role, now);
        if (role.boundAudiences().isEmpty() && !aud.isEmpty()) {
            throw EngineException.user("audience claim found in JWT but no audiences bound to the role");
        }
        return claims;
    }

    private static EngineException invalid(String why) {
        return EngineException.user("error validating token: " + why);
    }

    private static List<String> audiences(Object aud) {
        List<String> out = new ArrayList<>();
        if (aud instanceof String s && !s.isEmpty()) {
            out.add(s);
        } else if (aud instanceof List<?> list) {
            list.forEach(a -> out.add(String.valueOf(a)));
        }
        return out;
    }

    /** Vault's time-claim rule: leeways fill in missing claims; only the clock skew widens present ones. */
    static void times(Map<String, Object> claims, JwtRole role, long now) {
        long skew = leeway(role.clockSkewLeeway(), 60);
        long expL = leeway(role.expirationLeeway(), 150);
        long nbfL = leeway(role.notBeforeLeeway(), 150);
        Long iat = seconds(claims.get("iat"));
        Long nbf = seconds(claims.get("nbf"));
        Long exp = seconds(claims.get("exp"));
        if (iat == null && nbf == null && exp == null) {
            throw invalid("no issued at (iat), not before (nbf), or expiration time (exp) claims in token");
        }
        if (exp == null) {
            exp = Math.max(iat == null ? 0 : iat, nbf == null ? 0 : nbf) + expL;
        }
        if (nbf == null) {
            nbf = iat != null ? iat : exp - nbfL;
        }
        if (now + skew < nbf) {
            throw invalid("invalid not before (nbf) claim: token not yet valid");
        }
        if (now - skew > exp) {
            throw invalid("invalid expiration time (exp) claim: token is expired");
        }
        if (iat != null && now + skew < iat) {
            throw invalid("invalid issued at (iat) claim: token issued in the future");
        }
    }

    private static long leeway(long configured, long dflt) {
        return configured == 0 ? dflt : Math.max(0, configured);
    }

    private static Long seconds(Object v) {
        return v instanceof Number n ? n.longValue() : null;
    }

    /** The role's claim rules over claims that already passed {@link #validate}. */
    static Passed applyRole(Map<String, Object> claims, JwtRole role) {
        Object userValue = role.userClaimJsonPointer() ? pointer(claims, role.userClaim()) : claims.get(role.userClaim());
        if (userValue == null) {
            throw EngineException.user("claim " + GoFormat.q(role.userClaim()) + " not found in token");
        }
        if (!(userValue instanceof String user)) {
            throw EngineException.user("claim " + GoFormat.q(role.userClaim()) + " could not be converted to string");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : role.claimMappings().entrySet()) {
            Object v = lookup(claims, m.getKey());
            if (v == null) {
                continue;
            }
            if (!(v instanceof String s)) {
                throw EngineException.user("error converting claim '" + m.getKey() + "' to string");
            }
            metadata.put(m.getValue(), s);
        }
        // the groups claim is checked as Vault checks it; it makes no memberships (external groups are not supported)
        if (!role.groupsClaim().isEmpty()) {
            Object g = lookup(claims, role.groupsClaim());
            if (g == null) {
                throw EngineException.user("failed to fetch groups: " + GoFormat.q(role.groupsClaim()) + " claim not found in token");
            }
            List<?> items = g instanceof List<?> l ? l : g instanceof String s ? List.of(s) : null;
            if (items == null) {
                throw EngineException.user(GoFormat.q(role.groupsClaim()) + " claim could not be converted to string list");
            }
            for (Object item : items) {
                if (!(item instanceof String)) {
                    throw EngineException.user("value " + GoFormat.v(item) + " in groups claim could not be parsed as string");
                }
            }
        }
        for (Map.Entry<String, Object> bound : role.boundClaims().entrySet()) {
            Object actual = lookup(claims, bound.getKey());
            if (actual == null) {
                throw EngineException.user("error validating claims: claim " + GoFormat.q(bound.getKey()) + " is missing");
            }
            if (!matches(actual, bound.getValue(), role.boundClaimsType().equals("glob"), bound.getKey())) {
                throw EngineException.user("error validating claims: claim " + GoFormat.q(bound.getKey())
                        + " does not match any associated bound claim values");
            }
        }
        metadata.put("role", role.name());
        return new Passed(user, metadata);
    }

    private static Object lookup(Map<String, Object> claims, String name) {
        return name.startsWith("/") ? pointer(claims, name) : claims.get(name);
    }

    /** A JSON pointer ({@code /a/b}) into the claims. */
    @SuppressWarnings("unchecked")
    static Object pointer(Map<String, Object> claims, String pointer) {
        Object at = claims;
        for (String part : pointer.substring(1).split("/", -1)) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (at instanceof Map<?, ?> m) {
                at = ((Map<String, Object>) m).get(key);
            } else if (at instanceof List<?> l && key.matches("\\d+") && Integer.parseInt(key) < l.size()) {
                at = l.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return at;
    }

    private static boolean matches(Object actual, Object expected, boolean glob, String name) {
        List<?> actuals = actual instanceof List<?> l ? l : List.of(actual);
        List<?> expecteds = expected instanceof List<?> l ? l : List.of(expected);
        for (Object a : actuals) {
            if (!(a instanceof String || a instanceof Boolean || a instanceof Number)) {
                throw EngineException.user("error validating claims: received claim is not a string, bool, int or list: "
                        + GoFormat.v(actual));
            }
        }
        for (Object e : expecteds) {
            if (!(e instanceof String || e instanceof Boolean || e instanceof Number)) {
                throw EngineException.user("error validating claims: bound claim is not a string, bool, int or list: "
                        + GoFormat.v(expected));
            }
            for (Object a : actuals) {
                if (glob ? a instanceof String s && e instanceof String g && Glob.matches(g, s) : same(a, e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean same(Object a, Object e) {
        if (a instanceof Number x && e instanceof Number y) {
            return x.longValue() == y.longValue() && x.doubleValue() == y.doubleValue();
        }
        return a.equals(e);
    }
}
