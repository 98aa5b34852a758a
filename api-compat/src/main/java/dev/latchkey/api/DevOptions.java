package dev.latchkey.api;

/**
 * What {@code server -dev} is started with.
 *
 * @param rootTokenId the root token to create, or null for a random one
 * @param host        listen host
 * @param port        listen port (0 picks a free one)
 */
public record DevOptions(String rootTokenId, String host, int port) {
    public static final String DEFAULT_ADDRESS = "127.0.0.1:8200";
}
