package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;

/**
 * The age file format (age-encryption.org/v1, X25519 recipients) through jagged, kept
 * apart so that its classes load only when encryption is used. Its output decrypts with
 * the stock {@code age} command-line tool.
 */
final class AgeStreams {

	/** The class of jagged's X25519 support, present when jagged-x25519 is on the class path. */
	static final String JAGGED_CLASS = "com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory";

	private AgeStreams() {
	}

	static void checkRecipient(String recipient) throws GeneralSecurityException {
		X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
	}

	static void checkIdentity(String identity) throws GeneralSecurityException {
		X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity);
	}

	static OutputStream encrypt(OutputStream out, List<String> recipients) throws IOException {
		try {
			List<RecipientStanzaWriter> writers = new ArrayList<>();
			for (String recipient : recipients) {
				writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient));
			}
			return Channels.newOutputStream(
					new StandardEncryptingChannelFactory().newEncryptingChannel(Channels.newChannel(out), writers));
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("Cannot encrypt to the age recipients: " + ex.getMessage(), ex);
		}
	}

	static InputStream decrypt(InputStream in, List<String> identities) throws IOException {
		try {
			List<RecipientStanzaReader> readers = new ArrayList<>();
			for (String identity : identities) {
				readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity));
			}
			return Channels.newInputStream(
					new StandardDecryptingChannelFactory().newDecryptingChannel(Channels.newChannel(in), readers));
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("Cannot decrypt the backup with the configured age identity (is it the identity "
					+ "of one of the recipients it was encrypted to?): " + ex.getMessage(), ex);
		}
	}

}
