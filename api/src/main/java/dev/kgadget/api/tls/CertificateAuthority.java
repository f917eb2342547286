package dev.kgadget.api.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A private CA that issues the daemon's server certificate and the clients' certificates
 * (EC P-256, SHA-256). Its key lives only in memory: issuing happens once, when the operator
 * first creates the Secrets, and renewing means deleting them and restarting the operator.
 */
public final class CertificateAuthority {
    /** Certificates outlive any sane cluster upgrade cycle; rotation is by re-creation. */
    public static final Duration VALIDITY = Duration.ofDays(3650);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509CertificateHolder cert;
    private final String caPem;

    private CertificateAuthority(KeyPair keys, X509CertificateHolder cert) {
        this.keys = keys;
        this.cert = cert;
        this.caPem = pem("CERTIFICATE", encoded(cert));
    }

    /** A new self-signed CA named {@code name}. */
    public static CertificateAuthority create(String name) {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (CertIOException | OperatorCreationException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
    }

    /** A server certificate for {@code dnsNames} (the first is its CN). */
    public TlsMaterial issueServer(List<String> dnsNames) {
        return issue(dnsNames.get(0), dnsNames, KeyPurposeId.id_kp_serverAuth);
    }

    /** A client certificate with common name {@code name}. */
    public TlsMaterial issueClient(String name) {
        return issue(name, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    private TlsMaterial issue(String cn, List<String> dnsNames, KeyPurposeId purpose) {
        KeyPair leaf = newKeyPair();
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert.getSubject(), serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), new X500Name("CN=" + cn),
                    leaf.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!dnsNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
                        .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            }
            X509CertificateHolder issued = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new TlsMaterial(caPem, pem("CERTIFICATE", encoded(issued)),
                    pem("PRIVATE KEY", leaf.getPrivate().getEncoded()));
        } catch (CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + cn, e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static byte[] encoded(X509CertificateHolder c) {
        try {
            return c.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
