package io.github.sqlitebackup.actuate;

import java.util.List;

/**
 * Names an attacker would try against the endpoint, written as they would appear in the
 * request path (percent-encoded where a raw character is not allowed in a URI).
 */
final class HostileNames {

	static final List<String> ALL = List.of("..%2Fsecret.txt", "..%2F..%2Fsecret.txt", "%2e%2e%2fsecret.txt",
			"%2E%2E%2Fapp.db", "..%252Fsecret.txt", "%2Fetc%2Fpasswd", "..%5Csecret.txt", "..%5C..%5Capp.db",
			"app-20261121T000000000Z.db%00.txt", "%00", "%00app.db", "a".repeat(300), "app.db", "secret.txt",
			"..", "%2e%2e", "~%2Fapp.db", "backups%2F..%2Fsecret.txt", "app-20261121T000000000Z.db.manifest.json",
			".app-20261121T000000000Z.db.1.sqlite-backup-tmp", "CON", "app-20261121T000000000Z.db%3Brm",
			"file:%2F%2F%2Fetc%2Fpasswd", "%C0%AE%C0%AE%2Fsecret.txt", "....%2F%2Fsecret.txt", "app-%2A.db",
			"%2e%2e%5c%2e%2e%5capp.db", "app-20261121T000000000Z.db%0A", "app-20261121T000000000Z.DB",
			"app%20-20261121T000000000Z.db");

	private HostileNames() {
	}

}
