package dev.latchkey.api.hostsync;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * host-sync against the real dev server: the keys file follows the mount's issuers, an unchanged
 * document costs a 304 that leaves the file alone, and the KRL file is a list ssh-keygen reads.
 */
@Timeout(180)
class HostSyncDevServerTest {
    private static final String CA = Document.CA_KEYS.fileName();
    private static final String KRL = Document.KRL.fileName();

    @TempDir
    Path dir;

    private SyncRun sync(String mount) {
        return SyncRun.of(Map.of(), List.of("--addr", DevServer.baseUri(), "--mount", mount, "--dir", dir.toString()));
    }

    /** The {@code <type> <base64>} of each key line of the host's keys file. */
    private List<String> keys() {
        return TestFiles.read(dir.resolve(CA)).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(HostSyncDevServerTest::typeAndBlob).toList();
    }

    private static String typeAndBlob(String keyLine) {
        String[] t = keyLine.strip().split(" ");
        return t[0] + " " + t[1];
    }

    private static String generated(String mount, String path) {
        Response r = Requests.post(mount, path, "{\"generate_signing_key\":true}");
        assertEquals(200, r.statusCode(), r.asString());
        return typeAndBlob(r.jsonPath().getString("data.public_key"));
    }

    private Object inode(String name) throws IOException {
        return Files.readAttributes(dir.resolve(name), "unix:ino").get("ino");
    }

    @Test
    void theKeysFileHoldsTheCaKeyStaysWhileUnchangedAndFollowsANewIssuer() throws IOException {
        String mount = DevServer.enableSsh("host-sync");
        String first = generated(mount, "config/ca");

        SyncRun fetched = sync(mount);
        assertThat(fetched.describe(), fetched.out(), containsString(CA + ": updated (1 key)\n"));
        assertThat(fetched.describe(), fetched.err(), not(containsString(CA)));
        assertEquals(List.of(first), keys());
        String etag = DevServer.anonymous().get("/v1/" + mount + "/issuers/public_keys").header("ETag");
        assertEquals(etag + "\n", TestFiles.read(dir.resolve("." + CA + ".etag")));

        Object before = inode(CA);
        SyncRun again = sync(mount);
        assertThat(again.describe(), again.out(), containsString(CA + ": unchanged\n"));
        assertEquals(before, inode(CA), "a 304 leaves the file alone");

        String second = generated(mount, "issuers/import");
        SyncRun followed = sync(mount);
        assertThat(followed.describe(), followed.out(), containsString(CA + ": updated (2 keys)\n"));
        assertEquals(List.of(first, second), keys(), "the default first");
        assertEquals(2, SshKeygen.run("-l", "-f", dir.resolve(CA).toString()).ok().stdout().lines().count());
    }

    @Test
    void aMountWithoutACaGivesNoKeysFile() {
        String mount = DevServer.enableSsh("host-sync-empty");
        SyncRun r = sync(mount);
        assertEquals(1, r.exit(), r.describe());
        assertThat(r.err(), containsString(CA + ": not written: the server's keys document lists no CA key\n"));
        assertFalse(Files.exists(dir.resolve(CA)), "an empty TrustedUserCAKeys file would refuse every certificate");
    }

    /** Needs the mount's {@code krl} endpoint. */
    @Test
    void theKrlFileIsAListSshKeygenReadsAndBothFilesStayCurrent() {
        String mount = DevServer.enableSsh("host-sync-krl");
        generated(mount, "config/ca");

        SyncRun fetched = sync(mount);
        assertEquals(0, fetched.exit(), fetched.describe());
        assertThat(fetched.describe(), fetched.out(), containsString(KRL + ": updated (KRL version "));
        String listing = SshKeygen.run("-Q", "-l", "-f", dir.resolve(KRL).toString()).ok().stdout();
        assertThat(listing, containsString("# KRL version"));

        SyncRun again = sync(mount);
        assertEquals(0, again.exit(), again.describe());
        assertThat(again.out(), is(CA + ": unchanged\n" + KRL + ": unchanged\n"));
    }
}
