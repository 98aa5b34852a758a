package dev.latchkey.api.hostsync;

import dev.latchkey.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The flags of host-sync: defaults from the environment, each flag in each spelling, and the refusals. */
class HostSyncFlagsTest {
    @TempDir
    Path dir;

    /** Space-separated words; {@code ''} for none. */
    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.strip().split(" +"));
    }

    /** {@code NAME=value} pairs separated by spaces; {@code ''} for none. */
    private static Map<String, String> env(String text) {
        Map<String, String> env = new HashMap<>();
        for (String pair : words(text)) {
            int eq = pair.indexOf('=');
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    @ParameterizedTest(name = "[{index}] {0} with env {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # arguments                               | environment                                 | addr, mount, dir, ca-cert, timeout
            ''                                        | VAULT_ADDR=http://127.0.0.1:8200             | http://127.0.0.1:8200 | ssh | /etc/ssh/latchkey | - | PT10S
            ''                                        | VAULT_ADDR=https://v:8200/ VAULT_CACERT=/ca | https://v:8200 | ssh | /etc/ssh/latchkey | /ca | PT10S
            ''                                        | VAULT_ADDR=http://h:1 VAULT_CACERT=          | http://h:1 | ssh | /etc/ssh/latchkey | - | PT10S
            --addr http://10.0.0.1:8200               | VAULT_ADDR=http://ignored:1                  | http://10.0.0.1:8200 | ssh | /etc/ssh/latchkey | - | PT10S
            --addr=https://vault.example/prefix/      | ''                                           | https://vault.example/prefix | ssh | /etc/ssh/latchkey | - | PT10S
            -addr http://h:1 -mount ssh-client-signer | ''                                           | http://h:1 | ssh-client-signer | /etc/ssh/latchkey | - | PT10S
            --mount /team/ssh/                        | VAULT_ADDR=http://h:1                        | http://h:1 | team/ssh | /etc/ssh/latchkey | - | PT10S
            --dir /srv/keys --dir=/srv/other          | VAULT_ADDR=http://h:1                        | http://h:1 | ssh | /srv/other | - | PT10S
            --ca-cert /tmp/ca.pem                     | VAULT_ADDR=http://h:1 VAULT_CACERT=/ca       | http://h:1 | ssh | /etc/ssh/latchkey | /tmp/ca.pem | PT10S
            --timeout 1m30s                           | VAULT_ADDR=http://h:1                        | http://h:1 | ssh | /etc/ssh/latchkey | - | PT1M30S
            --timeout=250ms                           | VAULT_ADDR=http://h:1                        | http://h:1 | ssh | /etc/ssh/latchkey | - | PT0.25S
            """)
    void flagsAndTheirDefaults(String args, String environment, String addr, String mount, String dirPath,
                               String caCert, String timeout) {
        HostSyncFlags f = HostSyncFlags.parse(words(args), env(environment));
        assertEquals(addr, f.addr().toString());
        assertEquals(mount, f.mount());
        assertEquals(Path.of(dirPath), f.dir());
        assertEquals(caCert == null ? null : Path.of(caCert), f.caCert());
        assertEquals(Duration.parse(timeout), f.timeout());
    }

    @ParameterizedTest(name = "[{index}] {0} with env {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # arguments                    | environment              | the error
            ''                             | ''                       | no server address: pass --addr or set VAULT_ADDR
            ''                             | VAULT_ADDR=              | no server address: pass --addr or set VAULT_ADDR
            --addr                         | ''                       | flag --addr needs a value
            --addr 127.0.0.1:8200          | ''                       | --addr is not a URL
            --addr localhost:8200          | ''                       | --addr must be an http:// or https:// URL with a host
            --addr ftp://h/                | ''                       | --addr must be an http:// or https:// URL with a host
            --addr http://h:1/?x=1         | ''                       | --addr must not carry a query, a fragment or credentials
            --addr http://u:p@h:1          | ''                       | --addr must not carry a query, a fragment or credentials
            --addr http://h:1/a^b          | ''                       | --addr is not a URL
            --mount ''                     | VAULT_ADDR=http://h:1    | --mount must be a mount path such as ssh
            --mount=                       | VAULT_ADDR=http://h:1    | --mount must be a mount path such as ssh
            --mount ../sys                 | VAULT_ADDR=http://h:1    | --mount must be a mount path such as ssh
            --mount ssh?x=1                | VAULT_ADDR=http://h:1    | --mount must be a mount path such as ssh
            --mount a//b                   | VAULT_ADDR=http://h:1    | --mount must be a mount path such as ssh
            --dir=                         | VAULT_ADDR=http://h:1    | --dir cannot be empty
            --timeout 10                   | VAULT_ADDR=http://h:1    | --timeout: time: missing unit in duration "10"
            --timeout soon                 | VAULT_ADDR=http://h:1    | --timeout: time: invalid duration "soon"
            --timeout 0s                   | VAULT_ADDR=http://h:1    | --timeout must be positive, got 0s
            --timeout -5s                  | VAULT_ADDR=http://h:1    | --timeout must be positive, got -5s
            --token root                   | VAULT_ADDR=http://h:1    | unknown flag --token
            --addr=http://h:1 extra        | ''                       | unexpected argument extra
            --                             | VAULT_ADDR=http://h:1    | unexpected argument --
            """)
    void refusals(String args, String environment, String error) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostSyncFlags.parse(words(args).stream().map(w -> w.equals("''") ? "" : w).toList(),
                        env(environment)));
        assertThat(e.getMessage(), startsWith(error));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-help"})
    void helpPrintsTheUsageAndExitsZero(String flag) {
        SyncRun r = SyncRun.of(Map.of(), List.of("--unknown", flag));
        assertEquals(0, r.exit(), r.describe());
        assertThat(r.out(), startsWith("Usage: latchkey host-sync [--addr URL]"));
        assertThat(r.err(), is(emptyString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --token root           | Error: unknown flag --token
            --addr http://h:1 -x   | Error: unknown flag --x
            --timeout              | Error: flag --timeout needs a value
            """)
    void aUsageErrorPrintsTheUsageAndExitsTwo(String args, String error) {
        SyncRun r = SyncRun.of(Map.of(), words(args));
        assertEquals(2, r.exit(), r.describe());
        assertThat(r.err(), startsWith(error + "\nUsage: latchkey host-sync"));
        assertThat(r.out(), is(emptyString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            missing.pem | ''                                       | does not exist
            empty.pem   | ''                                       | holds no PEM certificate
            bad.pem     | -----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n | is not a PEM certificate bundle
            """)
    void anUnreadableCaBundleStopsBeforeAnyRequest(String name, String content, String error) {
        Path pem = dir.resolve(name);
        if (!name.startsWith("missing")) {
            TestFiles.write(pem, content.replace("\\n", "\n"));
        }
        Path target = dir.resolve("out");
        SyncRun r = SyncRun.of(Map.of("VAULT_ADDR", "http://127.0.0.1:9", "VAULT_CACERT", pem.toString()),
                List.of("--dir", target.toString()));
        assertEquals(1, r.exit(), r.describe());
        assertThat(r.err(), containsString("Error: --ca-cert: " + pem + " " + error));
        assertEquals(false, target.toFile().exists(), "nothing was created");
    }

    @Test
    void aDirectoryThatCannotBeCreatedStopsBeforeAnyRequest() {
        Path file = TestFiles.write(dir.resolve("a-file"), "x");
        SyncRun r = SyncRun.of(Map.of("VAULT_ADDR", "http://127.0.0.1:9"), List.of("--dir", file.resolve("sub").toString()));
        assertEquals(1, r.exit(), r.describe());
        assertThat(r.err(), startsWith("Error: cannot create the directory " + file.resolve("sub") + ": "));
    }
}
