package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.role.CaRole;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;
import dev.latchkey.engine.storage.CorruptRecordException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code config/openssh?type=server|client}: what an operator adds to OpenSSH's configuration to
 * use this mount, built from its issuers and roles (a Latchkey addition). For a server: the
 * {@code sshd_config} lines ({@code TrustedUserCAKeys}, {@code RevokedKeys}, and
 * {@code HostKey}/{@code HostCertificate} when a role signs host certificates), the trusted-keys
 * file's contents, and the {@code host-sync} command that keeps both files current. For a client:
 * the {@code @cert-authority} lines for {@code known_hosts} (host patterns from the host roles'
 * {@code allowed_domains}), and an {@code ssh_config} block that signs a key before connecting and
 * presents the certificate, in the shape Cloudflare's {@code cloudflared access ssh-config} prints.
 */
public final class OpenSshConfigPath {
    static final String SERVER_DIR = "/etc/ssh/latchkey";
    static final String CLIENT_DIR = "~/.ssh/latchkey";
    static final String TRUSTED_KEYS = "trusted-user-ca-keys.pub";
    static final String REVOKED_KEYS = "revoked-keys.krl";

    private final IssuerStore issuers;
    private final RoleStore roles;

    public OpenSshConfigPath(IssuerStore issuers, RoleStore roles) {
        this.issuers = issuers;
        this.roles = roles;
    }

    public PathSpec spec() {
        return PathSpec.path("config/openssh")
                .field("type", FieldType.STRING).field("dir", FieldType.STRING).field("role", FieldType.STRING)
                .on(Operation.READ, this::read);
    }

    private Response read(Request request, Fields f) {
        IssuerStore.Snapshot known = issuers.snapshot();
        if (known.isEmpty()) {
            throw EngineException.user("this mount has no CA issuer yet: generate or import one (config/ca or issuers/import)");
        }
        String mount = request.mount().path();
        Map<String, CaRole> caRoles = caRoles();
        return switch (f.string("type")) {
            case "server" -> Response.of(server(known, caRoles, mount, dir(f, SERVER_DIR)));
            case "client" -> Response.of(client(known, caRoles, mount, dir(f, CLIENT_DIR), f.string("role")));
            default -> throw EngineException.user("type must be server or client, not \"" + f.string("type") + "\"");
        };
    }

    private static String dir(Fields f, String fallback) {
        String dir = f.string("dir", fallback).strip();
        if (dir.isEmpty() || dir.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '"' || Character.isWhitespace(c))) {
            throw EngineException.user("dir must be a path without spaces, quotes or control characters");
        }
        return dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
    }

    private Map<String, CaRole> caRoles() {
        Map<String, CaRole> out = new TreeMap<>();
        for (String name : roles.names()) {
            try {
                roles.get(name).map(SshRole::ca).ifPresent(ca -> out.put(name, ca));
            } catch (CorruptRecordException unreadable) {
                // a role nobody can read signs nothing
            }
        }
        return out;
    }

    private static Map<String, Object> server(IssuerStore.Snapshot known, Map<String, CaRole> caRoles, String mount, String dir) {
        StringBuilder sshd = new StringBuilder();
        sshd.append("# at the top of sshd_config: sshd keeps the first value it reads of each keyword\n");
        sshd.append("TrustedUserCAKeys ").append(dir).append('/').append(TRUSTED_KEYS).append('\n');
        sshd.append("RevokedKeys ").append(dir).append('/').append(REVOKED_KEYS).append('\n');
        List<String> hostRoles = caRoles.entrySet().stream().filter(e -> e.getValue().allowHostCertificates())
                .map(Map.Entry::getKey).toList();
        if (!hostRoles.isEmpty()) {
            sshd.append("# a host certificate: sign the host key with ").append(mount).append("sign/").append(hostRoles.get(0))
                    .append(" (cert_type=host) and save it next to the key\n");
            sshd.append("HostKey /etc/ssh/ssh_host_ed25519_key\n");
            sshd.append("HostCertificate /etc/ssh/ssh_host_ed25519_key-cert.pub\n");
        }
        Map<String, Object> files = new LinkedHashMap<>();
        files.put(dir + "/" + TRUSTED_KEYS, known.publicKeysDocument());
        Map<String, Object> fetch = new LinkedHashMap<>();
        fetch.put(dir + "/" + TRUSTED_KEYS, "/v1/" + mount + "issuers/public_keys");
        fetch.put(dir + "/" + REVOKED_KEYS, "/v1/" + mount + "krl");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "server");
        data.put("sshd_config", sshd.toString());
        data.put("files", files);
        data.put("fetch", fetch);
        data.put("host_sync", "latchkey host-sync --addr \"$VAULT_ADDR\" --mount " + mount.substring(0, mount.length() - 1)
                + " --dir " + dir);
        data.put("host_roles", hostRoles);
        return data;
    }

    private Map<String, Object> client(IssuerStore.Snapshot known, Map<String, CaRole> caRoles, String mount, String dir,
                                       String userRole) {
        TreeSet<String> patterns = new TreeSet<>();
        caRoles.values().stream().filter(CaRole::allowHostCertificates).forEach(ca -> patterns.addAll(hostPatterns(ca)));
        StringBuilder knownHosts = new StringBuilder();
        if (!patterns.isEmpty()) {
            String hosts = String.join(",", patterns);
            for (String line : known.publicKeysDocument().split("\n")) {
                if (!line.isBlank()) {
                    knownHosts.append("@cert-authority ").append(hosts).append(' ').append(line).append('\n');
                }
            }
        }
        List<String> userRoles = caRoles.entrySet().stream().filter(e -> e.getValue().allowUserCertificates())
                .map(Map.Entry::getKey).toList();
        String role = userRole.isEmpty() ? (userRoles.isEmpty() ? "" : userRoles.get(0)) : userRole;
        if (!userRole.isEmpty() && !userRoles.contains(userRole)) {
            throw EngineException.user("role \"" + userRole + "\" is not a CA role that signs user certificates");
        }
        String hostPattern = patterns.isEmpty() ? "*" : String.join(",", patterns);
        StringBuilder config = new StringBuilder();
        config.append("Host ").append(hostPattern.replace(',', ' ')).append('\n');
        config.append("    UserKnownHostsFile ~/.ssh/known_hosts ").append(dir).append("/known_hosts\n");
        config.append("    RevokedHostKeys ").append(dir).append('/').append(REVOKED_KEYS).append('\n');
        if (!role.isEmpty()) {
            config.append("Match host ").append(hostPattern).append(" exec \"vault write -field=signed_key ")
                    .append(mount).append("sign/").append(role).append(" public_key=@").append(dir)
                    .append("/id_ed25519.pub > ").append(dir).append("/id_ed25519-cert.pub\"\n");
            config.append("    IdentityFile ").append(dir).append("/id_ed25519\n");
            config.append("    CertificateFile ").append(dir).append("/id_ed25519-cert.pub\n");
        }
        Map<String, Object> files = new LinkedHashMap<>();
        files.put(dir + "/known_hosts", knownHosts.toString());
        Map<String, Object> fetch = new LinkedHashMap<>();
        fetch.put(dir + "/" + REVOKED_KEYS, "/v1/" + mount + "krl");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "client");
        data.put("known_hosts", knownHosts.toString());
        data.put("ssh_config", config.toString());
        data.put("files", files);
        data.put("fetch", fetch);
        data.put("user_role", role);
        data.put("host_patterns", new ArrayList<>(patterns));
        return data;
    }

    /**
     * The host names a host role signs for, as {@code known_hosts} patterns: {@code *.d} for a
     * domain whose subdomains it allows, {@code d} for one it allows bare (a role that allows
     * neither signs no host of that domain, as in Vault), {@code *} for any.
     * Templated domains name no fixed host and are left out.
     */
    static List<String> hostPatterns(CaRole ca) {
        List<String> out = new ArrayList<>();
        for (String d : Arrays.stream(ca.allowedDomains().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            if (d.contains("{{")) {
                continue;
            }
            if (d.equals("*")) {
                out.add("*");
                continue;
            }
            if (ca.allowSubdomains()) {
                out.add("*." + d);
            }
            if (ca.allowBareDomains()) {
                out.add(d);
            }
        }
        return out;
    }
}
