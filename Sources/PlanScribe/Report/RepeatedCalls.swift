/// A looping agent makes the same tool call with the same result turn after turn (120 "Bash
/// `true`" cards, 12,000 px of page): runs of such bubbles are shown as one, labelled with the
/// count, and the phase's header says that the agent looped.
enum RepeatedCalls {
    /// Runs this long or longer are said in the phase header.
    static let loopLength = 5

    /// The bubbles with each run of identical call bubbles (the same tool, input and result,
    /// no marker, no subagent) made one: the first, its label saying how many, its times
    /// the run's first and last, no cost of its own (the turn rows have it).
    static func collapsed(_ bubbles: [MessageBubble]) -> (bubbles: [MessageBubble], longest: (tool: String, count: Int)?) {
        var out: [MessageBubble] = []
        var longest: (tool: String, count: Int)?
        var i = 0
        while i < bubbles.count {
            guard let key = key(of: bubbles[i]) else {
                out.append(bubbles[i])
                i += 1
                continue
            }
            // The run goes on over the context the CLI adds between the calls (a reminder each
            // turn): each distinct piece of it is kept once, after the call.
            var count = 1
            var last = i
            var context: [MessageBubble] = []
            var seen = Set<String>()
            var j = i + 1
            while j < bubbles.count {
                if bubbles[j].isMeta && bubbles[j].role == "meta" {
                    j += 1
                    continue
                }
                guard self.key(of: bubbles[j]) == key else { break }
                for meta in bubbles[(last + 1)..<j] where seen.insert(meta.label + "\u{1F}" + "\(meta.blocks.count)").inserted { context.append(meta) }
                count += 1
                last = j
                j += 1
            }
            if count == 1 {
                out.append(bubbles[i])
                i += 1
                continue
            }
            var merged = bubbles[i]
            merged.label += " · the same call ×\(count) in a row"
            if let first = bubbles[i].time, let end = bubbles[last].time, first != end { merged.time = first + " – " + end }
            merged.cost = nil
            out.append(merged)
            out += context
            if count > (longest?.count ?? 0), case .tool(let call) = merged.blocks[0] { longest = (call.name, count) }
            i = last + 1
        }
        return (out, longest)
    }

    /// What makes two call bubbles the same; nil for a bubble that is not a single call.
    private static func key(of bubble: MessageBubble) -> String? {
        guard !bubble.isDivider, bubble.branch == nil, bubble.marker == nil, bubble.role == "assistant", bubble.blocks.count == 1,
            case .tool(let call) = bubble.blocks[0], call.subagent == nil
        else { return nil }
        return [call.name, call.summary, call.inputHTML, call.result?.html ?? "\u{0}", call.result?.more ?? "", call.result?.isError == true ? "e" : ""]
            .joined(separator: "\u{1F}")
    }
}
