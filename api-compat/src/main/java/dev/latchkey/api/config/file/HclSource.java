package dev.latchkey.api.config.file;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one class that touches the HCL library (hcl4j), for the server configuration and for ACL
 * policies alike. Vault reads its configuration and its policies with HCL v1,
 * which also accepts JSON; hcl4j is an HCL2 parser, which reads every construct Vault configurations
 * use ({@code listener "tcp" {}} labelled blocks, repeated blocks, heredocs, the three comment forms,
 * numbers, booleans, lists) and the JSON form, into plain maps: a labelled block becomes
 * {@code {type: {label: body}}}, and a repeated one a list of bodies under its label.
 *
 * <p>Two departures are handled here. hcl4j reports the line of a syntax error but the maps it
 * returns carry no positions, so {@link KeyLocator} finds the line of a key for later messages by
 * scanning the text. And HCL2 has functions and {@code data} lookups, one of which fetches URLs:
 * Vault's HCL v1 has neither, so both registries are emptied and a configuration that uses them fails
 * as Vault's would.
 */
public final class HclSource {
    private static final Pattern LINE = Pattern.compile("on line:? (\\d+)");
    /**
     * hcl4j logs every syntax error it throws, stack trace and all, at SEVERE. The error reaches
     * the caller as a {@link SyntaxFailure} with its line; a log line per bad policy a client
     * uploads would only let that client fill the log. Held here so the setting is not collected.
     */
    private static final Logger HCL4J_LOG = Logger.getLogger("com.bertramlabs.plugins.hcl4j");

    static {
        HCL4J_LOG.setLevel(Level.OFF);
    }

    private HclSource() {
    }

    /** A syntax error: the line (0 when the parser gave none) and the parser's text. */
    public record SyntaxError(int line, String message) {
    }

    /** Parses one file's text; numbers come back as Double, blocks as maps, repeated blocks as lists. */
    public static Map<String, Object> parse(String text) throws SyntaxFailure {
        SyntaxError unpaired = Brackets.check(text);
        if (unpaired != null) {
            throw new SyntaxFailure(unpaired);
        }
        try {
            return new VaultHclParser().parse(text);
        } catch (Exception | LinkageError e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().contains("Exception:")) {
                cause = cause.getCause();
            }
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            Matcher m = LINE.matcher(message);
            int line = m.find() ? Integer.parseInt(m.group(1)) : 0;
            throw new SyntaxFailure(new SyntaxError(line, message.replace('\n', ' ').trim()));
        }
    }

    /** Thrown by {@link #parse}. */
    public static final class SyntaxFailure extends Exception {
        final transient SyntaxError error;

        SyntaxFailure(SyntaxError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public SyntaxError error() {
            return error;
        }
    }

    /** hcl4j without HCL2's functions and data lookups. */
    private static final class VaultHclParser extends HCLParser {
        VaultHclParser() {
            functionRegistry.clear();
            dataLookupRegistry.clear();
        }
    }
}
