package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;
import dev.latchkey.engine.storage.CorruptRecordException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several CA issuers per mount, on OpenBao's paths and with OpenBao's fields and errors:
 * {@code issuers/import[/:issuer_name]}, {@code LIST issuers}, {@code issuer/:issuer_ref} (read,
 * rename, delete), {@code issuer/:issuer_ref/public_key} and {@code config/issuers}. Where OpenBao
 * only warns, Latchkey refuses: deleting an issuer that a role still signs with, or the default
 * while other issuers exist. And one path OpenBao lacks: {@code issuers/public_keys}, every CA key
 * a host should trust, for {@code TrustedUserCAKeys} or {@code @cert-authority} lines, so that a
 * host can trust the next CA before it signs anything.
 */
public final class IssuersPath {
    /** OpenBao's pattern for an issuer reference or name in a path. */
    private static final String REF = "\\w(([\\w-.]+)?\\w)?";

    private final IssuerStore issuers;
    private final RoleStore roles;

    public IssuersPath(IssuerStore issuers, RoleStore roles) {
        this.issuers = issuers;
        this.roles = roles;
    }

    public List<PathSpec> specs() {
        return List.of(
                KeyMaterial.fields(PathSpec.path("issuers/import(/(?<issuername>" + REF + "))?"))
                        .capture("issuername", "issuer_name")
                        .field("set_default", FieldType.BOOL)
                        .on(Operation.UPDATE, this::importIssuer),
                PathSpec.path("issuers/public_keys").unauthenticated().on(Operation.READ, this::publicKeys),
                PathSpec.path("issuers/?").field("after", FieldType.STRING).field("limit", FieldType.INT)
                        .on(Operation.LIST, this::list),
                PathSpec.path("issuer/(?<ref>" + REF + ")/public_key").capture("ref", "issuer_ref").unauthenticated()
                        .on(Operation.READ, this::publicKey),
                PathSpec.path("issuer/(?<ref>" + REF + ")").capture("ref", "issuer_ref")
                        .field("issuer_name", FieldType.STRING)
                        .on(Operation.READ, this::read)
                        .on(Operation.UPDATE, this::rename)
                        .on(Operation.DELETE, this::delete),
                PathSpec.path("config/issuers").field("default", FieldType.STRING)
                        .on(Operation.READ, this::readDefault)
                        .on(Operation.UPDATE, this::writeDefault));
    }

    private IssuerStore.Issuer resolve(Fields f) {
        return issuers.snapshot().resolve(IssuerStore.normalise(f.string("issuer_ref")));
    }

    private Response importIssuer(Request request, Fields f) {
        KeyMaterial.Decision decision = KeyMaterial.decide(f, KeyMaterial.Dialect.OPENBAO);
        String name = "";
        if (f.has("issuer_name") && request.path().startsWith("issuers/import/")) {
            name = IssuerStore.checkName(f.string("issuer_name"));
            if (issuers.snapshot().byName().containsKey(name)) {
                throw EngineException.user("issuer name already in use");
            }
        }
        KeyMaterial.Pair pair = KeyMaterial.produce(decision, KeyMaterial.Dialect.OPENBAO, request.cancellation());
        if (!decision.generate()) {
            for (IssuerStore.Issuer existing : issuers.snapshot().issuers().values()) {
                if (sameKey(existing, pair)) {
                    return Response.of(existing.describe())
                            .withWarning("An issuer with the provided public key already exists, returning the existing issuer");
                }
            }
        }
        IssuerStore.Issuer created = issuers.create(name, pair.publicKey(), pair.privateKey(), f.bool("set_default"), false)
                .orElseThrow();
        return Response.of(created.describe());
    }

    private static boolean sameKey(IssuerStore.Issuer existing, KeyMaterial.Pair pair) {
        try {
            return Arrays.equals(dev.latchkey.engine.ssh.keys.SshPublicKey.parse(existing.publicKey()).wire(),
                    pair.parsedPublic().wire());
        } catch (RuntimeException unparsable) {
            return false;
        }
    }

    private Response list(Request request, Fields f) {
        IssuerStore.Snapshot s = issuers.snapshot();
        String after = f.string("after");
        long limit = f.integer("limit");
        List<String> keys = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (IssuerStore.Issuer i : s.issuers().values()) {
            if (!after.isEmpty() && i.id().compareTo(after) <= 0) {
                continue;
            }
            if (limit > 0 && keys.size() >= limit) {
                break;
            }
            keys.add(i.id());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("issuer_name", i.name());
            entry.put("is_default", i.id().equals(s.defaultId()));
            entry.put("public_key", i.publicKey());
            info.put(i.id(), entry);
        }
        if (keys.isEmpty()) {
            return Response.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keys", keys);
        data.put("key_info", info);
        return Response.of(data);
    }

    private Response read(Request request, Fields f) {
        return Response.of(resolve(f).describe());
    }

    private Response publicKey(Request request, Fields f) {
        return Response.raw(200, "text/plain", resolve(f).publicKey().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * OpenBao's rename: only {@code issuer_name} is read, and its absence clears the name (as
     * OpenBao does). Roles that still name the issuer by its old name are counted in a warning.
     */
    private Response rename(Request request, Fields f) {
        IssuerStore.Issuer issuer = resolve(f);
        String name = "";
        if (f.has("issuer_name")) {
            name = IssuerStore.checkName(f.string("issuer_name"));
        }
        if (name.equals(issuer.name())) {
            return Response.of(issuer.describe());
        }
        if (!name.isEmpty() && issuers.snapshot().byName().containsKey(name)) {
            throw EngineException.user("issuer name already in use");
        }
        String old = issuer.name();
        IssuerStore.Issuer renamed = issuers.rename(issuer, name);
        Response response = Response.of(renamed.describe());
        if (!old.isEmpty()) {
            List<String> using = rolesReferencing(List.of(old));
            if (!using.isEmpty()) {
                response.withWarning(using.size() + " roles reference '" + old + "'");
            }
        }
        return response;
    }

    /**
     * Deletes an issuer. An unknown reference is a {@code 204}, as in OpenBao. Refused, where
     * OpenBao only warns: an issuer a role signs with (by ID, by name, or as the default), and the
     * default while other issuers exist, since roles following the default would then sign with
     * nothing until an operator noticed.
     */
    private Response delete(Request request, Fields f) {
        IssuerStore.Snapshot s = issuers.snapshot();
        IssuerStore.Issuer issuer;
        try {
            issuer = s.resolve(IssuerStore.normalise(f.string("issuer_ref")));
        } catch (EngineException notFound) {
            return Response.empty();
        }
        boolean isDefault = issuer.id().equals(s.defaultId());
        if (isDefault && s.issuers().size() > 1) {
            throw EngineException.user("issuer " + issuer.id() + " is the default: make another issuer the default "
                    + "(POST " + request.mount().path() + "config/issuers) before deleting it");
        }
        List<String> refs = new ArrayList<>(List.of(issuer.id()));
        if (!issuer.name().isEmpty()) {
            refs.add(issuer.name());
        }
        if (isDefault) {
            refs.add("default");
        }
        List<String> using = rolesReferencing(refs);
        if (!using.isEmpty()) {
            throw EngineException.user("issuer " + issuer.id() + " is still used by roles " + using
                    + ": write them with another issuer_ref before deleting it");
        }
        issuers.delete(issuer);
        return Response.empty();
    }

    /** The CA roles whose {@code issuer_ref} is one of {@code refs}, by name. */
    private List<String> rolesReferencing(List<String> refs) {
        List<String> out = new ArrayList<>();
        for (String name : roles.names()) {
            try {
                roles.get(name).map(SshRole::ca).filter(ca -> refs.contains(ca.issuerRef())).ifPresent(ca -> out.add(name));
            } catch (CorruptRecordException unreadable) {
                // a role nobody can read signs with nothing
            }
        }
        return out;
    }

    private Response readDefault(Request request, Fields f) {
        IssuerStore.Issuer issuer = issuers.snapshot().defaultIssuer().orElseThrow(IssuerStore::noDefault);
        return Response.of(Map.of("default", issuer.id()));
    }

    /**
     * OpenBao's {@code config/issuers}. An unknown reference is answered {@code 400} with OpenBao's
     * text; OpenBao wraps it into an internal error and answers {@code 500}.
     */
    private Response writeDefault(Request request, Fields f) {
        String ref = IssuerStore.normalise(f.string("default"));
        if (ref.isEmpty() || ref.equals("default")) {
            throw EngineException.user("invalid issuer specification; must be non-empty and can't be 'default'.");
        }
        IssuerStore.Snapshot s = issuers.snapshot();
        IssuerStore.Issuer issuer;
        try {
            issuer = s.resolve(ref);
        } catch (EngineException e) {
            throw EngineException.user("error resolving issuer reference: " + e.getMessage());
        }
        if (issuer.id().equals(s.defaultId())) {
            return Response.envelopeOnly().withWarning("The default issuer is already set to the specified issuer.");
        }
        issuers.setDefault(issuer);
        Response response = Response.of(Map.of("default", issuer.id()));
        if (!s.defaultId().isEmpty()) {
            response.withWarning("Previous default (" + s.defaultId() + ") has been updated with the issuer '" + ref + "'"
                    + (ref.equals(issuer.id()) ? "" : " (resolved to " + issuer.id() + ")"));
        }
        return response;
    }

    /**
     * Every issuer's public key, one line each, the default first, each commented with its name:
     * the file hosts keep as {@code TrustedUserCAKeys} (or turn into {@code @cert-authority}
     * lines). Its entity tag is a digest of the text, so a host polling with {@code If-None-Match}
     * downloads it only when the issuers have changed.
     */
    private Response publicKeys(Request request, Fields f) {
        byte[] body = issuers.snapshot().publicKeysDocument().getBytes(StandardCharsets.UTF_8);
        return Response.raw(200, "text/plain; charset=utf-8", body, "\"" + digest(body) + "\"");
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
