package dev.latchkey.api.http;

/** A rendered HTTP answer. A null body means no body at all. */
public record Reply(int status, String contentType, byte[] body) {
}
