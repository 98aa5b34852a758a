package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.net.CidrList;
import dev.latchkey.engine.ssh.ca.IssuerStore;
import dev.latchkey.engine.ssh.dynamic.AdminKeyStore;
import dev.latchkey.engine.ssh.dynamic.HostText;
import dev.latchkey.engine.ssh.dynamic.InstallScript;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.role.CaRole;
import dev.latchkey.engine.ssh.role.DynamicRole;
import dev.latchkey.engine.ssh.role.HostKeyPolicy;
import dev.latchkey.engine.ssh.role.KeyType;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;
import dev.latchkey.engine.storage.CorruptRecordException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code roles/} (list) and {@code roles/:role} (write, read, delete). A write checks the fields
 * every key type shares (CIDR lists, port, key type), then those of its key type, in Vault's order.
 */
final class RolesPath {
    static final String ALGORITHM_DEFAULT = "default";
    private static final Set<String> SIGNERS = Set.of(ALGORITHM_DEFAULT, "ssh-rsa", "rsa-sha2-256", "rsa-sha2-512");
    private static final long DEFAULT_NOT_BEFORE = 30;

    private static final long MAX_TIMEOUT_SECONDS = 600;
    /** Vault 1.12's dynamic key sizes; the largest is the RSA maximum everywhere else too. */
    private static final Set<Long> KEY_BITS = Set.of(1024L, 2048L, 3072L, 4096L, (long) RsaKeySizes.DEFAULT_MAX_BITS);

    private final RoleStore roles;
    private final ZeroAddressStore zeroAddress;
    private final AdminKeyStore adminKeys;
    private final IssuerStore issuers;

    RolesPath(RoleStore roles, ZeroAddressStore zeroAddress, AdminKeyStore adminKeys, IssuerStore issuers) {
        this.roles = roles;
        this.zeroAddress = zeroAddress;
        this.adminKeys = adminKeys;
        this.issuers = issuers;
    }

    List<PathSpec> specs() {
        PathSpec role = PathSpec.path("roles/(?<role>" + PathSpec.NAME + ")")
                .capture("role", "role")
                .on(Operation.UPDATE, this::write)
                .on(Operation.READ, this::read)
                .on(Operation.DELETE, this::delete);
        for (Map.Entry<String, FieldType> f : RoleFields.ALL.entrySet()) {
            role.field(f.getKey(), f.getValue());
        }
        return List.of(PathSpec.path("roles/?").on(Operation.LIST, this::list), role);
    }

    private Response write(Request request, Fields f) {
        String name = f.string("role");
        if (name.isEmpty()) {
            throw EngineException.user("missing role name");
        }
        String cidrList = f.string("cidr_list");
        String excludeCidrList = f.string("exclude_cidr_list");
        validateCidrs(cidrList, "failed to validate cidr_list: ");
        validateCidrs(excludeCidrList, "failed to validate exclude_cidr_list entry: ");
        long port = f.integer("port");
        if (port == 0) {
            port = 22;
        }
        if (port < 1 || port > 65535) {
            throw EngineException.user("invalid port " + port + ": must be between 1 and 65535");
        }
        String keyTypeText = f.string("key_type");
        if (keyTypeText.isEmpty()) {
            throw EngineException.user("missing key type");
        }
        KeyType keyType = KeyType.parse(keyTypeText).orElseThrow(() -> EngineException.user("invalid key type"));
        SshRole role = switch (keyType) {
            case OTP -> otpRole(f, cidrList, excludeCidrList, (int) port);
            case DYNAMIC -> dynamicRole(f, cidrList, excludeCidrList, (int) port);
            case CA -> caRole(f);
        };
        roles.put(name, role);
        return Response.empty();
    }

    private static SshRole otpRole(Fields f, String cidrList, String excludeCidrList, int port) {
        String defaultUser = f.string("default_user");
        if (defaultUser.isEmpty()) {
            throw EngineException.user("missing default user");
        }
        if (!f.string("admin_user").isEmpty()) {
            throw EngineException.user("admin user not required for OTP type");
        }
        return new SshRole(KeyType.OTP, defaultUser, cidrList, excludeCidrList, port, f.string("allowed_users"), null,
                null);
    }

    /** A dynamic role's fields, checked in the order Vault 1.12 checked them. */
    private SshRole dynamicRole(Fields f, String cidrList, String excludeCidrList, int port) {
        String defaultUser = f.string("default_user");
        if (defaultUser.isEmpty()) {
            throw EngineException.user("missing default user");
        }
        String key = f.string("key");
        if (key.isEmpty()) {
            throw EngineException.user("missing key name");
        }
        if (!adminKeys.exists(key)) {
            throw EngineException.user("invalid 'key': " + GoFormat.q(key));
        }
        String script = f.string("install_script");
        if (script.isEmpty()) {
            script = InstallScript.builtIn();
        }
        String adminUser = f.string("admin_user");
        if (adminUser.isEmpty()) {
            throw EngineException.user("missing admin username");
        }
        long bits = f.integer("key_bits");
        if (bits == 0) {
            bits = 2048;
        }
        if (!KEY_BITS.contains(bits)) {
            throw EngineException.user("invalid key_bits field");
        }
        // Beyond Vault: these values reach the target host, in a command, a file or the login.
        HostText.requireAccountName("default_user", defaultUser);
        HostText.requireNoControlCharacters("admin_user", adminUser);
        String keyOptionSpecs = f.string("key_option_specs");
        HostText.requireNoControlCharacters("key_option_specs", keyOptionSpecs);
        HostKeyPolicy hostKeys = HostKeyPolicy.fromRequest(f.string("host_key_checking"),
                f.strings("host_key_fingerprints"));
        long connectTimeout = timeout(f, "connect_timeout", DynamicRole.DEFAULT_CONNECT_TIMEOUT);
        long commandTimeout = timeout(f, "command_timeout", DynamicRole.DEFAULT_COMMAND_TIMEOUT);
        return new SshRole(KeyType.DYNAMIC, defaultUser, cidrList, excludeCidrList, port, f.string("allowed_users"),
                null, new DynamicRole(key, adminUser, (int) bits, script, keyOptionSpecs, hostKeys,
                connectTimeout, commandTimeout));
    }

    /** 0 or absent: the default; otherwise 1 s to 10 min, so a stuck host never holds a worker for long. */
    private static long timeout(Fields f, String name, long fallback) {
        long seconds = f.seconds(name);
        if (seconds == 0) {
            return fallback;
        }
        if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
            throw EngineException.user(name + " must be between 1s and 10m");
        }
        return seconds;
    }

    /** A CA role's fields. Vault answers an unknown signer with a 500; it is the caller's mistake: 400. */
    private SshRole caRole(Fields f) {
        String signer = f.string("algorithm_signer");
        if (signer.isEmpty()) {
            signer = ALGORITHM_DEFAULT;
        }
        if (!SIGNERS.contains(signer)) {
            throw EngineException.user("unknown algorithm signer " + GoFormat.q(signer));
        }
        if (!f.bool("allow_user_certificates") && !f.bool("allow_host_certificates")) {
            throw EngineException.user(
                    "Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'");
        }
        Map<String, List<Integer>> lengths = KeyLengths.parse(f.map("allowed_user_key_lengths"));
        long ttl = f.seconds("ttl");
        long maxTtl = f.seconds("max_ttl");
        if (ttl != 0 && maxTtl != 0 && ttl > maxTtl) {
            throw EngineException.user("\"ttl\" value must be less than \"max_ttl\" when both are specified");
        }
        long notBefore = f.has("not_before_duration") ? f.seconds("not_before_duration") : DEFAULT_NOT_BEFORE;
        CaRole ca = new CaRole(f.bool("default_user_template"), f.bool("allowed_users_template"),
                f.string("allowed_domains"), f.bool("allowed_domains_template"), ttl, maxTtl,
                f.string("allowed_critical_options"), f.string("allowed_extensions"),
                f.stringMap("default_critical_options"), f.stringMap("default_extensions"),
                f.bool("default_extensions_template"), f.bool("allow_user_certificates"),
                f.bool("allow_host_certificates"), f.bool("allow_bare_domains"), f.bool("allow_subdomains"),
                f.bool("allow_user_key_ids"), f.string("key_id_format"), lengths, signer, notBefore,
                f.bool("allow_empty_principals"), issuerRef(f));
        return new SshRole(KeyType.CA, f.string("default_user"), "", "", 22, f.string("allowed_users"), ca, null);
    }

    /**
     * The role's {@code issuer_ref}: {@code default} when empty; anything else must name an issuer
     * now. OpenBao stores any text and fails at signing; checking here means a typo is found when
     * the role is written, not by the first user who needs a certificate.
     */
    private String issuerRef(Fields f) {
        String ref = IssuerStore.normalise(f.string("issuer_ref"));
        if (ref.isEmpty() || ref.equals("default")) {
            return "default";
        }
        issuers.snapshot().resolve(ref);
        return ref;
    }

    /** Vault answers an unparsable CIDR with a 500; it is the caller's mistake, so Latchkey says 400. */
    private static void validateCidrs(String raw, String prefix) {
        if (raw.isEmpty()) {
            return;
        }
        try {
            CidrList.parseAll(raw, prefix);
        } catch (IllegalArgumentException e) {
            throw EngineException.user(e.getMessage());
        }
    }

    private Response read(Request request, Fields f) {
        return roles.get(f.string("role")).map(r -> Response.of(r.toResponse())).orElse(Response.empty());
    }

    private Response delete(Request request, Fields f) {
        String name = f.string("role");
        zeroAddress.remove(name);
        roles.delete(name);
        return Response.empty();
    }

    private Response list(Request request, Fields f) {
        List<String> names = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (String name : roles.names()) {
            names.add(name);
            try {
                roles.get(name).ifPresent(r -> info.put(name, r.ca() == null ? Map.of("key_type", r.keyType().wire())
                        : Map.of("key_type", r.keyType().wire(), "issuer_ref", r.ca().issuerRef())));
            } catch (CorruptRecordException unreadable) {
                // Vault keeps such roles in keys but leaves them out of key_info.
            }
        }
        if (names.isEmpty()) {
            return Response.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keys", names);
        data.put("key_info", info);
        return Response.of(data);
    }
}
