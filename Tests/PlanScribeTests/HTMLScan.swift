/// A small HTML tokenizer for tests: the tags (with attributes) and the visible text of a
/// page, entities decoded. Enough for the well-formed output planscribe writes, and strict
/// where it matters: anything that looks like a tag is reported as one.
struct HTMLScan {
    struct Tag: Equatable {
        var name: String
        var attributes: [(name: String, value: String)]

        static func == (a: Tag, b: Tag) -> Bool {
            a.name == b.name && a.attributes.map(\.name) == b.attributes.map(\.name) && a.attributes.map(\.value) == b.attributes.map(\.value)
        }
    }

    var tags: [Tag] = []
    var text = ""
    /// The text of each `<script>` element, as written.
    var scripts: [String] = []

    init(_ html: String) {
        let chars = Array(html.unicodeScalars)
        var i = 0
        var rawTextUntil: String?  // inside <style> or <script>
        var rawStart = 0
        while i < chars.count {
            if chars[i] == "<" {
                if let end = rawTextUntil {
                    let closing = "</" + end
                    if String(String.UnicodeScalarView(chars[i..<min(chars.count, i + closing.count)])).lowercased() == closing {
                        if end == "script" { scripts.append(String(String.UnicodeScalarView(chars[rawStart..<i]))) }
                        rawTextUntil = nil
                    } else {
                        i += 1
                        continue
                    }
                }
                if i + 3 < chars.count, chars[i + 1] == "!", chars[i + 2] == "-", chars[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < chars.count, !(chars[j] == "-" && chars[j + 1] == "-" && chars[j + 2] == ">") { j += 1 }
                    i = j + 3
                    continue
                }
                var j = i + 1
                if j < chars.count, chars[j] == "/" || chars[j] == "!" || chars[j] == "?" { j += 1 }
                guard j < chars.count, chars[j].properties.isAlphabetic else {
                    text.unicodeScalars.append(chars[i])
                    i += 1
                    continue
                }
                var name = ""
                while j < chars.count, !chars[j].properties.isWhitespace, chars[j] != ">", chars[j] != "/" {
                    name.unicodeScalars.append(chars[j])
                    j += 1
                }
                var attributes: [(String, String)] = []
                while j < chars.count, chars[j] != ">" {
                    if chars[j].properties.isWhitespace || chars[j] == "/" { j += 1; continue }
                    var attr = ""
                    while j < chars.count, !chars[j].properties.isWhitespace, chars[j] != "=", chars[j] != ">" {
                        attr.unicodeScalars.append(chars[j])
                        j += 1
                    }
                    var value = ""
                    if j < chars.count, chars[j] == "=" {
                        j += 1
                        if j < chars.count, chars[j] == "\"" || chars[j] == "'" {
                            let quote = chars[j]
                            j += 1
                            while j < chars.count, chars[j] != quote { value.unicodeScalars.append(chars[j]); j += 1 }
                            j += 1
                        } else {
                            while j < chars.count, !chars[j].properties.isWhitespace, chars[j] != ">" { value.unicodeScalars.append(chars[j]); j += 1 }
                        }
                    }
                    attributes.append((attr.lowercased(), HTMLScan.decode(value)))
                }
                let lower = name.lowercased()
                if i + 1 < chars.count, chars[i + 1] != "/" {
                    tags.append(Tag(name: lower, attributes: attributes))
                    if lower == "style" || lower == "script" {
                        rawTextUntil = lower
                        rawStart = j + 1
                    }
                }
                i = j + 1
            } else {
                if rawTextUntil == nil { text.unicodeScalars.append(chars[i]) }
                i += 1
            }
        }
        text = HTMLScan.decode(text)
    }

    static func decode(_ s: String) -> String {
        var out = s
        for (entity, ch) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&#x27;", "'")] {
            out = out.replacingOccurrences(of: entity, with: ch)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Problems that would let a page run code or load something. `allowedScript`: the one
    /// script a page may hold (planscribe's search), as an attribute-less `<script>` element of
    /// exactly that text; any other script is a danger.
    func dangers(allowedScript: String? = nil) -> [String] {
        var found: [String] = []
        let scriptTags = tags.filter { $0.name == "script" }
        if let allowedScript, scriptTags.count == 1, scriptTags[0].attributes.isEmpty, scripts == [allowedScript] {
            // the page's own search script, and nothing else
        } else {
            found += scriptTags.map { _ in "<script>" }
        }
        for tag in tags {
            if ["iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "link"].contains(tag.name) {
                found.append("<\(tag.name)>")
            }
            if tag.name == "meta", tag.attributes.contains(where: { $0.name == "http-equiv" && $0.value.lowercased() == "refresh" }) {
                found.append("meta refresh")
            }
            for (name, value) in tag.attributes {
                if name.hasPrefix("on") { found.append("<\(tag.name) \(name)=>") }
                let v = value.lowercased().filter { !$0.isWhitespace }
                if ["href", "src", "action", "formaction", "xlink:href", "data", "poster"].contains(name) {
                    if v.hasPrefix("javascript:") || v.hasPrefix("vbscript:") || v.hasPrefix("data:text/html") || v.hasPrefix("&#") {
                        found.append("<\(tag.name) \(name)=\(value)>")
                    }
                    if v.hasPrefix("http:") || v.hasPrefix("https:") || v.hasPrefix("//"), tag.name != "a" {
                        found.append("remote <\(tag.name) \(name)=\(value)>")
                    }
                }
            }
        }
        return found
    }
}
