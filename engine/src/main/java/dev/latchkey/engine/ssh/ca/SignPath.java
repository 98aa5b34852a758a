package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.RoleStore;
import dev.latchkey.engine.ssh.SshRole;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.List;
import java.util.function.LongSupplier;

/** {@code sign/:role}: certify a public key the client sends (spec §3.10). */
public final class SignPath {
    private final RoleStore roles;
    private final CertificateIssuer issuer;

    public SignPath(RoleStore roles, CaKeyStore keys, LongSupplier clockMillis) {
        this.roles = roles;
        this.issuer = new CertificateIssuer(keys, clockMillis);
    }

    public List<PathSpec> specs() {
        return List.of(certificateFields(PathSpec.path("sign/(?<role>" + PathSpec.NAME + ")").capture("role", "role"))
                .field("public_key", FieldType.STRING)
                .on(Operation.UPDATE, this::sign));
    }

    /** The request fields {@code sign} and {@code issue} share. */
    static PathSpec certificateFields(PathSpec spec) {
        return spec.field("valid_principals", FieldType.STRING)
                .field("cert_type", FieldType.STRING)
                .field("key_id", FieldType.STRING)
                .field("ttl", FieldType.DURATION)
                .field("critical_options", FieldType.STRING_MAP)
                .field("extensions", FieldType.STRING_MAP);
    }

    static CertificateRequest request(Fields f) {
        return new CertificateRequest(f.string("role"), f.has("valid_principals") ? f.string("valid_principals") : null,
                f.string("cert_type", "user"), f.string("key_id"), f.has("ttl") ? f.seconds("ttl") : -1,
                f.stringMap("critical_options"), f.stringMap("extensions"));
    }

    private Response sign(Request request, Fields f) {
        String roleName = f.string("role");
        SshRole role = roles.get(roleName).orElseThrow(() -> EngineException.user("Unknown role: " + roleName));
        String publicKeyText = f.string("public_key");
        if (publicKeyText.isEmpty()) {
            throw EngineException.user("missing public_key");
        }
        SshPublicKey subject;
        try {
            subject = SshPublicKey.parse(publicKeyText);
        } catch (SshKeyException e) {
            throw EngineException.user("failed to parse public_key as SSH key: " + e.getMessage());
        }
        if (role.ca() == null) {
            // Vault reaches this role at the key-ID step (no allow_user_key_ids), then the
            // certificate-type step: it has neither flag.
            if (!f.string("key_id").isEmpty()) {
                throw EngineException.user("setting key_id is not allowed by role");
            }
            String certType = f.string("cert_type", "user");
            if (!certType.equals("user") && !certType.equals("host")) {
                throw EngineException.user("cert_type must be either 'user' or 'host'");
            }
            throw EngineException.user("cert_type '" + certType + "' is not allowed by role");
        }
        KeyRequirements.check(role.ca().allowedUserKeyLengths(), subject.keyClass(), subject.bits());
        return Response.of(issuer.issue(role, subject, request(f), request.caller(), request.mount()));
    }
}
