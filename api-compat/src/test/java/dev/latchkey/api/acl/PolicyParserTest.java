package dev.latchkey.api.acl;

import dev.latchkey.engine.framework.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policy texts as Vault reads them, and the ones it refuses, with the message it gives. */
class PolicyParserTest {
    @Test
    void hclAndItsJsonFormReadTheSame() {
        String hcl = """
                # a team's signing policy
                path "ssh-client-signer/sign/dev" {
                  capabilities = ["create", "update"]
                  allowed_parameters = {
                    "valid_principals" = ["dev-*"]
                    "ttl" = []
                  }
                  required_parameters = ["Public_Key"]
                }
                path "/ssh-client-signer/public_key" {
                  capabilities = ["read"]
                }
                path "secret/+/config*" {
                  policy = "write"
                }
                """;
        String json = """
                {"path": {
                  "ssh-client-signer/sign/dev": {"capabilities": ["create", "update"],
                    "allowed_parameters": {"valid_principals": ["dev-*"], "ttl": []},
                    "required_parameters": ["Public_Key"]},
                  "/ssh-client-signer/public_key": {"capabilities": ["read"]},
                  "secret/+/config*": {"policy": "write"}}}
                """;
        List<PathRule> expected = List.of(
                new PathRule("ssh-client-signer/sign/dev", EnumSet.of(Capability.CREATE, Capability.UPDATE),
                        Map.of("valid_principals", List.of("dev-*"), "ttl", List.of()), Map.of(), Set.of("public_key"), 0, 0),
                new PathRule("ssh-client-signer/public_key", EnumSet.of(Capability.READ)),
                new PathRule("secret/+/config*", EnumSet.of(Capability.CREATE, Capability.READ, Capability.UPDATE,
                        Capability.DELETE, Capability.LIST)));
        assertEquals(expected, PolicyParser.parse(hcl));
        assertEquals(expected, PolicyParser.parse(json));
    }

    @Test
    void aTextThatIsWhollyBase64IsDecodedFirst() {
        String text = "path \"secret/*\" { capabilities = [\"read\"] }";
        String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(PolicyParser.parse(text), PolicyParser.parse(encoded));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # body                                                                   | capabilities
            capabilities = ["read", "deny", "list"]                                  | DENY
            capabilities = []                                                        | ''
            policy = "read"                                                          | READ LIST
            policy = "sudo"                                                          | CREATE READ UPDATE DELETE LIST SUDO
            policy = "deny"                                                          | DENY
            capabilities = ["patch", "sudo"]                                         | PATCH SUDO
            comment = "ignored" capabilities = ["read"]                              | READ
            """)
    void capabilitiesAsVaultReadsThem(String body, String capabilities) {
        List<PathRule> rules = PolicyParser.parse("path \"a/b\" {\n" + body.replace("\" c", "\"\nc") + "\n}");
        Set<Capability> want = EnumSet.noneOf(Capability.class);
        for (String c : capabilities.split(" ")) {
            if (!c.isEmpty()) {
                want.add(Capability.valueOf(c));
            }
        }
        assertEquals(want, rules.get(0).capabilities());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # policy text                                                              | the message, after "failed to parse policy: "
            path "secret/+*" { capabilities = ["read"] }                                | path "secret/+*": invalid use of wildcards ('+*' is forbidden)
            path "secret/a" { capabilities = ["read", "write"] }                        | path "secret/a": invalid capability "write"
            path "secret/a" { policy = "all" }                                          | path "secret/a": invalid policy "all"
            path "secret/a" { min_wrapping_ttl = "1h" max_wrapping_ttl = "10m" }        | max_wrapping_ttl cannot be less than min_wrapping_ttl
            path "secret/a" { capabilities = "read" }                                   | path "secret/a": capabilities must be a list of strings
            path "secret/a" { max_wrapping_ttl = "soon" }                               | path "secret/a": invalid max_wrapping_ttl: time: invalid duration "soon"
            """)
    void refusalsSayWhatIsWrong(String text, String message) {
        String policy = text.replace("\" c", "\"\nc").replace("] c", "]\nc").replace("\" m", "\"\nm");
        EngineException e = assertThrows(EngineException.class, () -> PolicyParser.parse(policy));
        assertEquals("failed to parse policy: " + message, e.getMessage());
        assertEquals(400, e.status());
    }

    /** Unknown keys are listed as Vault lists them, each with its line. */
    @Test
    void unknownKeysAreListedWithTheirLines() {
        EngineException block = assertThrows(EngineException.class, () -> PolicyParser.parse(
                "path \"secret/a\" {\n  capabilities = [\"read\"]\n}\npath \"secret/b\" {\n  capabilities = [\"read\"]\n  colour = \"blue\"\n}\n"));
        assertEquals("failed to parse policy: 1 error occurred:\n\t* path \"secret/b\": invalid key \"colour\" on line 6\n\n",
                block.getMessage());
        EngineException top = assertThrows(EngineException.class,
                () -> PolicyParser.parse("\npth \"secret/a\" {\n  capabilities = [\"read\"]\n}\n"));
        assertEquals("failed to parse policy: 1 error occurred:\n\t* invalid key \"pth\" on line 2\n\n", top.getMessage());
    }

    @Test
    void aSyntaxErrorGivesItsLine() {
        EngineException e = assertThrows(EngineException.class,
                () -> PolicyParser.parse("path \"a\" {\n  capabilities = [\"read\"]\n}\npath \"b\" {\n  = 3\n}\n"));
        assertTrue(e.getMessage().startsWith("failed to parse policy: "), e.getMessage());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
        assertEquals(400, e.status());
    }

    @Test
    void wrappingTtlsAreSeconds() {
        PathRule rule = PolicyParser.parse("path \"a\" {\n min_wrapping_ttl = \"1m\"\n max_wrapping_ttl = 3600\n}").get(0);
        assertEquals(60, rule.minWrappingTtl());
        assertEquals(3600, rule.maxWrappingTtl());
    }
}
