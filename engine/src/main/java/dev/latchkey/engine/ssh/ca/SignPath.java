package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;

import java.util.List;
import java.util.function.LongSupplier;

/** {@code sign/:role}: certify a public key the client sends. */
public final class SignPath {
    private final RoleStore roles;
    private final CertificateIssuer issuer;
    private final CertificateLog log;

    public SignPath(RoleStore roles, IssuerStore issuers, LongSupplier clockMillis, SshEvents events, CertificateLog log) {
        this.roles = roles;
        this.issuer = new CertificateIssuer(issuers, clockMillis, events, log);
        this.log = log;
    }

    public List<PathSpec> specs() {
        return List.of(CertificateRequest.path("sign")
                .field("public_key", FieldType.STRING)
                .on(Operation.UPDATE, this::sign));
    }

    private Response sign(Request request, Fields f) {
        String roleName = f.string("role");
        SshRole role = roles.get(roleName).orElseThrow(() -> EngineException.user("Unknown role: " + roleName));
        String publicKeyText = f.string("public_key");
        if (publicKeyText.isEmpty()) {
            throw EngineException.user("missing public_key");
        }
        int maxRsaBits = role.ca() == null ? RsaKeySizes.DEFAULT_MAX_BITS
                : KeyRequirements.maxRsaBits(role.ca().allowedUserKeyLengths());
        SshPublicKey subject;
        try {
            subject = SshPublicKey.parse(publicKeyText, maxRsaBits);
        } catch (RsaKeySizes.KeyTooLargeException e) {
            throw KeyRequirements.refusal(KeyRequirements.Violation.SIZE, "rsa", e.bits());
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
        CertificateRequest req = CertificateRequest.from(f);
        log.checkSubject(subject);
        return Response.of(issuer.issue(roleName, role, subject, req, request.caller(), request.mount(),
                request.clientAddress()));
    }
}
