package dev.latchkey.api.token;

/** Token display names as Vault derives them: {@code token} or {@code token-<name>}. */
final class DisplayNames {
    private DisplayNames() {
    }

    static String forCreatedToken(String requested) {
        if (requested == null || requested.isEmpty()) {
            return "token";
        }
        String cleaned = ("token-" + requested).replaceAll("[^A-Za-z0-9-]", "-");
        return cleaned.endsWith("-") ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
    }
}
