package dev.kgadget.api.stacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained, interactive SVG flame graph from folded stacks: one box per frame, as wide
 * as its share of the total, callers below callees; hover shows the frame with its count and
 * share, a click zooms into a frame (and "Reset zoom" back out). Drawn by this class alone: no
 * script is fetched from anywhere.
 */
public final class FlameGraph {
    static final int WIDTH = 1200;
    static final int FRAME_HEIGHT = 16;
    static final int PAD_TOP = 40;
    static final int PAD_BOTTOM = 10;
    static final int PAD_SIDE = 10;
    /** Frames narrower than this (px) are not drawn; their time still counts in their parents. */
    static final double MIN_WIDTH = 0.1;

    private FlameGraph() {
    }

    private static final class Node {
        final String name;
        final Map<String, Node> children = new LinkedHashMap<>();
        long total;

        Node(String name) {
            this.name = name;
        }
    }

    /**
     * @param title e.g. "profile of shop/checkout (samples)"
     * @param unit  what the counts are, e.g. "samples" or "us"
     */
    public static String svg(Map<String, Long> folded, String title, String unit) {
        Node root = new Node("all");
        for (Map.Entry<String, Long> e : folded.entrySet()) {
            long v = e.getValue();
            root.total += v;
            Node n = root;
            for (String frame : e.getKey().split(";")) {
                n = n.children.computeIfAbsent(frame, Node::new);
                n.total += v;
            }
        }
        int depth = depth(root);
        int height = PAD_TOP + (depth + 1) * FRAME_HEIGHT + PAD_BOTTOM;
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<?xml version=\"1.0\" standalone=\"no\"?>\n");
        sb.append("<svg version=\"1.1\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" onload=\"init(evt)\">\n");
        sb.append("<style>text{font-family:Verdana,sans-serif;font-size:12px;fill:#000}")
                .append(".f:hover rect{stroke:#000;stroke-width:0.5;cursor:pointer}</style>\n");
        sb.append("<script type=\"text/ecmascript\"><![CDATA[\n").append(SCRIPT).append("]]></script>\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#f8f8f8\"/>\n");
        sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"20\" text-anchor=\"middle\" style=\"font-size:16px\">")
                .append(escape(title)).append("</text>\n");
        sb.append("<text id=\"reset\" x=\"").append(PAD_SIDE).append("\" y=\"20\" style=\"opacity:0\" onclick=\"reset()\">Reset zoom</text>\n");
        sb.append("<text id=\"details\" x=\"").append(PAD_SIDE).append("\" y=\"").append(height - 2).append("\"> </text>\n");
        sb.append("<g id=\"frames\">\n");
        double scale = root.total == 0 ? 0 : (WIDTH - 2.0 * PAD_SIDE) / root.total;
        draw(sb, root, PAD_SIDE, 0, scale, root.total, height, unit);
        sb.append("</g>\n</svg>\n");
        return sb.toString();
    }

    private static int depth(Node n) {
        int d = 0;
        for (Node c : n.children.values()) {
            d = Math.max(d, 1 + depth(c));
        }
        return d;
    }

    private static void draw(StringBuilder sb, Node n, double x, int level, double scale, long all, int height, String unit) {
        double w = n.total * scale;
        if (w < MIN_WIDTH) {
            return;
        }
        double y = height - PAD_BOTTOM - (level + 1) * FRAME_HEIGHT;
        String info = n.name + " (" + n.total + " " + unit + ", " + String.format(Locale.ROOT, "%.2f", 100.0 * n.total / Math.max(1, all)) + "%)";
        sb.append("<g class=\"f\" onclick=\"zoom(this)\" onmouseover=\"s(this)\" onmouseout=\"c()\"><title>")
                .append(escape(info)).append("</title>");
        sb.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
                .append("\" height=\"").append(FRAME_HEIGHT - 1).append("\" rx=\"2\" fill=\"").append(color(n.name, level)).append("\"/>");
        sb.append("<text x=\"").append(fmt(x + 3)).append("\" y=\"").append(fmt(y + FRAME_HEIGHT - 4)).append("\">")
                .append(escape(fit(n.name, w))).append("</text></g>\n");
        double cx = x;
        for (Node c : n.children.values()) {
            draw(sb, c, cx, level + 1, scale, all, height, unit);
            cx += c.total * scale;
        }
    }

    /** As much of the name as fits at ~7 px per character ("" when nothing sensible fits). */
    static String fit(String name, double width) {
        int chars = (int) ((width - 6) / 7);
        if (chars >= name.length()) {
            return name;
        }
        return chars < 3 ? "" : name.substring(0, chars - 2) + "..";
    }

    /** Warm colours, stable per name (the same function has the same colour in every graph). */
    private static String color(String name, int level) {
        if (level == 0) {
            return "rgb(200,200,200)";
        }
        int h = name.hashCode();
        int r = 205 + Math.floorMod(h, 50);
        int g = Math.floorMod(h >>> 8, 180);
        int b = Math.floorMod(h >>> 16, 55);
        return "rgb(" + r + "," + g + "," + b + ")";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(ch < 0x20 ? ' ' : ch);
            }
        }
        return sb.toString();
    }

    /** Zoom: a clicked frame fills the width, its ancestors stay, everything else hides. */
    private static final String SCRIPT = String.join("\n",
            "var frames, details, resetBtn, W = " + WIDTH + ", P = " + PAD_SIDE + ";",
            "function init(evt) { frames = document.getElementById('frames'); details = document.getElementById('details');",
            "  resetBtn = document.getElementById('reset');",
            "  var gs = frames.getElementsByTagName('g');",
            "  for (var i = 0; i < gs.length; i++) { var r = gs[i].getElementsByTagName('rect')[0];",
            "    gs[i].setAttribute('data-x', r.getAttribute('x')); gs[i].setAttribute('data-w', r.getAttribute('width')); } }",
            "function s(g) { details.textContent = g.getElementsByTagName('title')[0].textContent; }",
            "function c() { details.textContent = ' '; }",
            "function place(g, x, w) { var r = g.getElementsByTagName('rect')[0], t = g.getElementsByTagName('text')[0];",
            "  r.setAttribute('x', x); r.setAttribute('width', w); t.setAttribute('x', x + 3);",
            "  var name = g.getElementsByTagName('title')[0].textContent.replace(/ \\([^()]*\\)$/, '');",
            "  var n = Math.floor((w - 6) / 7); t.textContent = n >= name.length ? name : (n < 3 ? '' : name.substring(0, n - 2) + '..'); }",
            "function zoom(g) { var x0 = parseFloat(g.getAttribute('data-x')), w0 = parseFloat(g.getAttribute('data-w'));",
            "  var y0 = parseFloat(g.getElementsByTagName('rect')[0].getAttribute('y'));",
            "  var k = (W - 2 * P) / w0, gs = frames.getElementsByTagName('g');",
            "  for (var i = 0; i < gs.length; i++) { var x = parseFloat(gs[i].getAttribute('data-x')), w = parseFloat(gs[i].getAttribute('data-w'));",
            "    var y = parseFloat(gs[i].getElementsByTagName('rect')[0].getAttribute('y'));",
            "    var inside = x >= x0 - 0.01 && x + w <= x0 + w0 + 0.01, below = y > y0 && x <= x0 + 0.01 && x + w >= x0 + w0 - 0.01;",
            "    if (inside && y <= y0) { gs[i].style.display = ''; place(gs[i], P + (x - x0) * k, w * k); }",
            "    else if (below) { gs[i].style.display = ''; place(gs[i], P, W - 2 * P); }",
            "    else { gs[i].style.display = 'none'; } }",
            "  resetBtn.style.opacity = 1; }",
            "function reset() { var gs = frames.getElementsByTagName('g');",
            "  for (var i = 0; i < gs.length; i++) { gs[i].style.display = '';",
            "    place(gs[i], parseFloat(gs[i].getAttribute('data-x')), parseFloat(gs[i].getAttribute('data-w'))); }",
            "  resetBtn.style.opacity = 0; }",
            "");
}
