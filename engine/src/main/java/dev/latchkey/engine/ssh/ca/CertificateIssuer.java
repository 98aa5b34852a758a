package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshCertificateBuilder;
import dev.latchkey.engine.ssh.keys.SshCertificateType;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.keys.SshSigner;
import dev.latchkey.engine.ssh.role.CaRole;
import dev.latchkey.engine.ssh.role.SshRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The part of {@code sign} and {@code issue} after the public key is known, in Vault's order: key
 * ID, certificate type, principals, TTL, critical options and extensions, then the signature.
 */
final class CertificateIssuer {
    private final IssuerStore issuers;
    private final LongSupplier clockMillis;
    private final SshEvents events;
    private final CertificateLog log;

    CertificateIssuer(IssuerStore issuers, LongSupplier clockMillis, SshEvents events, CertificateLog log) {
        this.issuers = issuers;
        this.clockMillis = clockMillis;
        this.events = events;
        this.log = log;
    }

    /** How many serials to draw before giving up: a clash of random 64-bit serials is already unheard of. */
    private static final int SERIAL_ATTEMPTS = 3;

    Map<String, Object> issue(String roleName, SshRole role, SshPublicKey subject, CertificateRequest req, Caller caller,
                              MountInfo mount, String clientAddress) {
        CaRole ca = role.ca();
        String keyId = keyId(role, subject, req, caller);
        SshCertificateType type = certType(ca, req.certType());
        List<String> principals = Principals.resolve(role, type, req.validPrincipals(), caller);
        long ttl = ttl(ca, req.ttlSeconds(), mount);
        Map<String, String> critical = criticalOptions(ca, req.criticalOptions());
        Map<String, String> extensions = extensions(ca, req.extensions(), caller);

        // the issuer last, as OpenBao resolves it: after every check of the request
        IssuerStore.Snapshot known = issuers.snapshot();
        if (known.isEmpty()) {
            throw EngineException.user("failed to read CA private key"); // Vault's words for a mount without a CA
        }
        IssuerStore.Issuer issuer = known.resolve(ca.issuerRef());
        SshPrivateKey signer = issuers.signer(issuer);
        long now = clockMillis.getAsLong() / 1000;
        for (int attempt = 1; ; attempt++) {
            SshCertificate cert = sign(subject, signer, ca, type, keyId, principals, now, ttl, critical, extensions);
            if (log.issued(new CertificateLog.Issued(cert, issuer.id(), roleName, caller, clientAddress, req.description(),
                    req.metadata()))) {
                events.certificateSigned(roleName, subject.type(), type.label());
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("serial_number", cert.serialHex());
                data.put("signed_key", cert.toLine());
                data.put("issuer_id", issuer.id());
                return data;
            }
            if (attempt == SERIAL_ATTEMPTS) {
                throw new IllegalStateException("no free certificate serial after " + SERIAL_ATTEMPTS + " attempts");
            }
        }
    }

    /**
     * Signs with a random serial that is never 0: a KRL cannot revoke serial 0 by serial, and Vault
     * draws it from the whole 64-bit range.
     */
    private static SshCertificate sign(SshPublicKey subject, SshPrivateKey signer, CaRole ca, SshCertificateType type,
                                       String keyId, List<String> principals, long now, long ttl,
                                       Map<String, String> critical, Map<String, String> extensions) {
        long serial;
        do {
            serial = Randomness.current().nextLong();
        } while (serial == 0);
        try {
            return new SshCertificateBuilder(subject)
                    .serial(serial)
                    .certType(type)
                    .keyId(keyId)
                    .principals(principals)
                    .validAfter(Math.max(0, now - ca.notBeforeDuration()))
                    .validBefore(now + ttl)
                    .criticalOptions(critical)
                    .extensions(extensions)
                    .sign(signer, SshSigner.defaultAlgorithm(signer, ca.algorithmSigner()));
        } catch (SshKeyException e) {
            throw EngineException.user("failed to generate signed SSH key: " + e.getMessage());
        }
    }

    private static String keyId(SshRole role, SshPublicKey subject, CertificateRequest req, Caller caller) {
        if (!req.keyId().isEmpty()) {
            if (!role.ca().allowUserKeyIds()) {
                throw EngineException.user("setting key_id is not allowed by role");
            }
            return req.keyId();
        }
        String format = role.ca().keyIdFormat();
        if (format.isEmpty()) {
            format = caller.displayName().isEmpty() ? "vault-{{public_key_hash}}"
                    : "vault-{{token_display_name}}-{{public_key_hash}}";
        }
        return format.replace("{{token_display_name}}", caller.displayName())
                .replace("{{role_name}}", req.roleName())
                .replace("{{public_key_hash}}", subject.publicKeyHash());
    }

    private static SshCertificateType certType(CaRole ca, String requested) {
        switch (requested) {
            case "user" -> {
                if (!ca.allowUserCertificates()) {
                    throw EngineException.user("cert_type 'user' is not allowed by role");
                }
                return SshCertificateType.USER;
            }
            case "host" -> {
                if (!ca.allowHostCertificates()) {
                    throw EngineException.user("cert_type 'host' is not allowed by role");
                }
                return SshCertificateType.HOST;
            }
            default -> throw EngineException.user("cert_type must be either 'user' or 'host'");
        }
    }

    /**
     * An explicit TTL above the maximum is refused (also an explicit 0 that became
     * the mount default, as Vault's {@code specifiedTTL}); a TTL from the role or mount is lowered.
     */
    private static long ttl(CaRole ca, long requested, MountInfo mount) {
        long ttl = requested >= 0 ? requested : ca.ttl();
        if (ttl == 0) {
            ttl = mount.defaultLeaseTtl();
        }
        long max = ca.maxTtl() > 0 ? ca.maxTtl() : mount.maxLeaseTtl();
        if (ttl > max) {
            if (requested >= 0) {
                throw EngineException.user("ttl is larger than maximum allowed " + max);
            }
            ttl = max;
        }
        return ttl;
    }

    private static Map<String, String> criticalOptions(CaRole ca, Map<String, String> requested) {
        if (requested.isEmpty()) {
            return ca.defaultCriticalOptions();
        }
        if (!ca.allowedCriticalOptions().isBlank()) {
            List<String> allowed = trimmedList(ca.allowedCriticalOptions());
            List<String> refused = new ArrayList<>(new TreeMap<>(requested).keySet());
            refused.removeIf(allowed::contains);
            if (!refused.isEmpty()) {
                throw EngineException.user("critical options not on allowed list: [" + String.join(" ", refused) + "]");
            }
        }
        return requested;
    }

    private static Map<String, String> extensions(CaRole ca, Map<String, String> requested, Caller caller) {
        if (requested.isEmpty()) {
            if (!ca.defaultExtensionsTemplate()) {
                return ca.defaultExtensions();
            }
            Map<String, String> rendered = new TreeMap<>();
            ca.defaultExtensions().forEach((k, v) -> rendered.put(k, Principals.expand(v, true, caller)));
            return rendered;
        }
        if (!ca.allowedExtensions().equals("*")) {
            List<String> allowed = trimmedList(ca.allowedExtensions());
            List<String> refused = new ArrayList<>(new TreeMap<>(requested).keySet());
            refused.removeIf(allowed::contains);
            if (!refused.isEmpty()) {
                throw EngineException.user("extensions [" + String.join(" ", refused) + "] are not on allowed list");
            }
        }
        return requested;
    }

    /** Latchkey trims list items everywhere (Vault does not here, so "a, b" never allowed "b"). */
    private static List<String> trimmedList(String raw) {
        return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
