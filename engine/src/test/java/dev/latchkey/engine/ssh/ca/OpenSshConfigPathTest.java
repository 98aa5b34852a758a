package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Operation;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code config/openssh}: the lines an operator adds, from the mount's issuers and roles. */
class OpenSshConfigPathTest {
    private final BackendHarness ssh = BackendHarness.create();

    private Reply read(Object... query) {
        return ssh.handle(Operation.READ, "config/openssh", BackendHarness.fields(query));
    }

    private String mount() {
        String key = (String) ssh.writeJson("config/ca", "{\"key_type\":\"ed25519\"}").data().get("public_key");
        ssh.writeJson("roles/users", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}")
                .assertNoContent();
        ssh.writeJson("roles/hosts", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"example.com,{{identity.entity.name}}.dev,internal\",\"allow_subdomains\":true}")
                .assertNoContent();
        ssh.writeJson("roles/bare", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"db.example.net\",\"allow_bare_domains\":true}").assertNoContent();
        String[] parts = key.strip().split(" ");
        return parts[0] + " " + parts[1];
    }

    @Test
    void aServerTrustsTheIssuersAndReadsTheRevocationList() {
        String key = mount();
        Map<String, Object> d = read("type", "server").data();
        assertEquals("# at the top of sshd_config: sshd keeps the first value it reads of each keyword\n"
                + "TrustedUserCAKeys /etc/ssh/latchkey/trusted-user-ca-keys.pub\n"
                + "RevokedKeys /etc/ssh/latchkey/revoked-keys.krl\n"
                + "# a host certificate: sign the host key with ssh/sign/bare (cert_type=host) and save it next to the key\n"
                + "HostKey /etc/ssh/ssh_host_ed25519_key\n"
                + "HostCertificate /etc/ssh/ssh_host_ed25519_key-cert.pub\n", d.get("sshd_config"));
        String issuerId = (String) ssh.read("config/issuers").data().get("default");
        assertEquals(Map.of("/etc/ssh/latchkey/trusted-user-ca-keys.pub", key + " issuer-" + issuerId + "\n"), d.get("files"));
        assertEquals(Map.of("/etc/ssh/latchkey/trusted-user-ca-keys.pub", "/v1/ssh/issuers/public_keys",
                "/etc/ssh/latchkey/revoked-keys.krl", "/v1/ssh/krl"), d.get("fetch"));
        assertEquals("latchkey host-sync --addr \"$VAULT_ADDR\" --mount ssh --dir /etc/ssh/latchkey", d.get("host_sync"));
        assertEquals("TrustedUserCAKeys /srv/ca/trusted-user-ca-keys.pub",
                ((String) read("type", "server", "dir", "/srv/ca/").data().get("sshd_config")).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void aClientTrustsHostCertificatesForTheHostRolesDomains() {
        String key = mount();
        ssh.writeJson("issuers/import/next", "{\"key_type\":\"ed25519\"}").ok();
        Map<String, Object> d = read("type", "client").data();
        assertEquals(List.of("*.example.com", "*.internal", "db.example.net"), d.get("host_patterns"));
        String knownHosts = (String) d.get("known_hosts");
        List<String> lines = knownHosts.lines().toList();
        assertEquals(2, lines.size(), knownHosts);
        assertEquals("@cert-authority *.example.com,*.internal,db.example.net " + key + " issuer-"
                + ssh.read("config/issuers").data().get("default"), lines.get(0), "the default issuer first");
        assertEquals("Host *.example.com *.internal db.example.net\n"
                + "    UserKnownHostsFile ~/.ssh/known_hosts ~/.ssh/latchkey/known_hosts\n"
                + "    RevokedHostKeys ~/.ssh/latchkey/revoked-keys.krl\n"
                + "Match host *.example.com,*.internal,db.example.net exec \"vault write -field=signed_key ssh/sign/users "
                + "public_key=@~/.ssh/latchkey/id_ed25519.pub > ~/.ssh/latchkey/id_ed25519-cert.pub\"\n"
                + "    IdentityFile ~/.ssh/latchkey/id_ed25519\n"
                + "    CertificateFile ~/.ssh/latchkey/id_ed25519-cert.pub\n", d.get("ssh_config"));
        assertEquals("users", d.get("user_role"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no type          | type |          |       | type must be server or client, not ""
            unknown type     | type | desktop  |       | type must be server or client, not "desktop"
            dir with a space | dir  | /etc/a b | server | dir must be a path without spaces, quotes or control characters
            host role        | role | hosts    | client | role "hosts" is not a CA role that signs user certificates
            """)
    void badRequestsAreRefused(String name, String field, String value, String type, String error) {
        mount();
        Reply r = type == null ? read(field, value == null ? "" : value) : read("type", type, field, value);
        r.assertError(400, error);
    }

    @Test
    void aMountWithoutIssuersHasNothingToConfigure() {
        read("type", "server").assertError(400,
                "this mount has no CA issuer yet: generate or import one (config/ca or issuers/import)");
    }
}
