package dev.latchkey.api.hostsync;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code latchkey host-sync}: brings a host's copy of the SSH mount's CA keys and revocation list
 * up to date, for a systemd timer on every host. Each file is tried whatever happened to the
 * other, is replaced only by a download that passed its check, and keeps its ETag beside it so
 * that an unchanged document costs a 304. One line per file: on stdout when it is current, on
 * stderr with the reason when it is not.
 */
public final class HostSync {
    /** A file's ETag longer than this is not one the server sent. */
    private static final int MAX_ETAG_CHARS = 1024;

    private final HostSyncFlags flags;
    private final ConditionalGet http;
    private final PrintStream out;
    private final PrintStream err;

    private HostSync(HostSyncFlags flags, ConditionalGet http, PrintStream out, PrintStream err) {
        this.flags = flags;
        this.http = http;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command.
     *
     * @param env where {@code VAULT_ADDR} and {@code VAULT_CACERT} are read
     * @return the exit code: 0 when both files are current, 1 when either is not, 2 for a usage error
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (HostSyncFlags.wantsHelp(args)) {
            out.println(HostSyncFlags.USAGE);
            return 0;
        }
        HostSyncFlags flags;
        try {
            flags = HostSyncFlags.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println(HostSyncFlags.USAGE);
            return 2;
        }
        ConditionalGet http;
        try {
            http = ConditionalGet.create(flags.caCert(), flags.timeout());
        } catch (IOException e) {
            err.println("Error: --ca-cert: " + e.getMessage());
            return 1;
        }
        try {
            AtomicFiles.ensureDirectory(flags.dir());
        } catch (IOException e) {
            err.println("Error: cannot create the directory " + flags.dir() + ": " + reason(e));
            return 1;
        }
        HostSync sync = new HostSync(flags, http, out, err);
        boolean current = true;
        for (Document d : Document.values()) {
            current &= sync.sync(d);
        }
        return current ? 0 : 1;
    }

    /** Brings one file up to date; says how it went; returns whether the file is now current. */
    private boolean sync(Document document) {
        Path file = flags.dir().resolve(document.fileName());
        Path etagFile = flags.dir().resolve("." + document.fileName() + ".etag");
        boolean exists = Files.isRegularFile(file);
        // without the file, its ETag would only earn a 304 for a file that is not there
        String etag = exists ? storedEtag(etagFile) : null;
        URI url = URI.create(flags.addr() + "/v1/" + flags.mount() + "/" + document.path());
        String kept = exists ? "kept the current file: " : "not written: ";
        ConditionalGet.Answer answer;
        try {
            answer = http.get(url, etag);
        } catch (ConditionalGet.FailedException e) {
            return refused(document, kept + e.getMessage());
        }
        if (answer instanceof ConditionalGet.NotModified) {
            out.println(document.fileName() + ": unchanged");
            return true;
        }
        ConditionalGet.Fresh fresh = (ConditionalGet.Fresh) answer;
        String summary;
        try {
            summary = document.check(fresh.body());
        } catch (Document.InvalidException e) {
            return refused(document, kept + e.getMessage());
        }
        try {
            // The old ETag goes first: were the host to stop between the two writes, a stale ETag
            // beside the new file could earn a 304 once the server's document is the old one again.
            AtomicFiles.delete(etagFile);
            AtomicFiles.replace(file, fresh.body());
        } catch (IOException e) {
            return refused(document, kept + "could not write " + file + ": " + reason(e));
        }
        String newEtag = fresh.etag();
        if (validEtag(newEtag)) {
            try {
                AtomicFiles.replace(etagFile, (newEtag + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return refused(document, "updated (" + summary + "), but its ETag could not be saved in " + etagFile
                        + " (" + reason(e) + "): the next run downloads it again");
            }
        }
        out.println(document.fileName() + ": updated (" + summary + ")");
        return true;
    }

    private boolean refused(Document document, String why) {
        err.println(document.fileName() + ": " + why);
        return false;
    }

    /** An I/O error in words: a file system's messages are often nothing but the path. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The ETag saved with the file, or null when there is none fit to send back. */
    private static String storedEtag(Path etagFile) {
        try {
            if (!Files.isRegularFile(etagFile) || Files.size(etagFile) > MAX_ETAG_CHARS + 1) {
                return null;
            }
            String etag = Files.readString(etagFile, StandardCharsets.US_ASCII).strip();
            return validEtag(etag) ? etag : null;
        } catch (IOException e) {
            return null; // an unreadable ETag only costs a full download
        }
    }

    /** Visible ASCII only: anything else cannot be sent back as a header, nor saved on one line. */
    private static boolean validEtag(String etag) {
        return etag != null && !etag.isEmpty() && etag.length() <= MAX_ETAG_CHARS
                && etag.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }
}
