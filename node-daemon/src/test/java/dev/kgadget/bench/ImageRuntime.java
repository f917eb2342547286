package dev.kgadget.bench;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

/**
 * The JVM flags and environment the images start their Java with, read from the root pom's Jib
 * configuration, so the benchmark's daemon runs exactly as the image's does.
 */
record ImageRuntime(List<String> jvmFlags, Map<String, String> environment) {

    static ImageRuntime fromPom(Path pom) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            Element container = jibContainer(doc);
            List<String> flags = new ArrayList<>();
            NodeList fs = container.getElementsByTagName("jvmFlag");
            for (int i = 0; i < fs.getLength(); i++) {
                flags.add(fs.item(i).getTextContent().strip());
            }
            Map<String, String> env = new LinkedHashMap<>();
            NodeList vars = ((Element) container.getElementsByTagName("environment").item(0)).getChildNodes();
            for (int i = 0; i < vars.getLength(); i++) {
                if (vars.item(i).getNodeType() == Node.ELEMENT_NODE) {
                    env.put(vars.item(i).getNodeName(), vars.item(i).getTextContent().strip());
                }
            }
            if (flags.isEmpty()) {
                throw new IllegalStateException("no jvmFlag in the Jib configuration of " + pom);
            }
            return new ImageRuntime(List.copyOf(flags), Map.copyOf(env));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the images' JVM flags from " + pom + ": " + e.getMessage(), e);
        }
    }

    private static Element jibContainer(Document doc) {
        NodeList ids = doc.getElementsByTagName("artifactId");
        for (int i = 0; i < ids.getLength(); i++) {
            if ("jib-maven-plugin".equals(ids.item(i).getTextContent().strip())) {
                Element plugin = (Element) ids.item(i).getParentNode();
                return (Element) plugin.getElementsByTagName("container").item(0);
            }
        }
        throw new IllegalStateException("no jib-maven-plugin");
    }
}
