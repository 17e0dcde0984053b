import DocumentModel

/// Checks and summarises Humdrum `**kern` (the GrandStaff style that PaliGemma 2's OMR task
/// emits: one or more spines, tab-separated, read top to bottom).
///
/// Accepted, line by line:
/// - global comments and reference records `!!…`/`!!!…` anywhere (not split into fields);
/// - first, one exclusive-interpretation line of `**name` fields (`**kern`, also `**dynam`,
///   `**text` …; their tokens are not checked) opening the spines;
/// - interpretation lines whose fields all start with `*`: spine manipulators `*^` (split),
///   `*v` (adjacent spines join; at least two), `*+` (add a spine, which must get `**name`
///   next), `*x` (exchange with the neighbouring `*x`), `*-` (terminate), the null
///   interpretation `*`, new exclusive interpretations `**name`, and tandem interpretations
///   (clefs, key signatures and meters are checked, see `KernTokenGrammar`);
/// - local comment lines whose fields all start with `!`;
/// - barline lines whose fields all start with `=` (`=`, `=12`, `==`, `=:|!` …);
/// - data lines: in `**kern` spines a null token `.` or one or more note/rest tokens separated
///   by single spaces (a chord), each checked by `KernTokenGrammar`.
///
/// Every line after the first must have as many tab-separated fields as there are active
/// spines, and all spines must end with `*-`; nothing but global comments may follow. Empty
/// lines inside the score are errors (trailing ones are ignored). "bekern" output is mapped
/// first (see `KernParser.normalize(_:)`). Nothing is ever dropped or thrown: problems are
/// listed with their line numbers and the summary counts what could be read.
public enum KernParser {
    /// Checks and summarises `text` (taken as given; see `MusicTask` for cleaning model output).
    public static func score(from text: String) -> MusicScore {
        let kern = normalize(text)
        var checker = Checker()
        var lines = kern.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        for (index, line) in lines.enumerated() { checker.read(line, number: index + 1) }
        checker.finish()
        return MusicScore(
            text: text, kern: kern, isValid: checker.problems.isEmpty, problems: checker.problems,
            spineCount: checker.spineCount, maxSpineCount: checker.maxSpineCount,
            measureCount: checker.measureCount, noteCount: checker.noteCount,
            restCount: checker.restCount, chordCount: checker.chordCount)
    }

    /// The line-by-line state: active spines (their exclusive interpretation, `nil` for a spine
    /// just added by `*+`), counts and problems.
    private struct Checker {
        var spines: [String?] = []
        var started = false
        var finished = false
        var problems: [MusicScore.Problem] = []
        var spineCount = 0
        var maxSpineCount = 0
        var measureCount = 0
        var noteCount = 0
        var restCount = 0
        var chordCount = 0
        var dataSinceBarline = false

        mutating func problem(_ line: Int?, _ message: String) {
            problems.append(MusicScore.Problem(line: line, message: message))
        }

        mutating func read(_ line: Substring, number: Int) {
            if line.isEmpty {
                problem(number, "empty line")
                return
            }
            if line.hasPrefix("!!") { return }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard started else {
                guard fields.allSatisfy({ $0.hasPrefix("**") && $0.count > 2 }) else {
                    problem(number, "expected the exclusive interpretation line (**kern …)")
                    return
                }
                spines = fields.map { String($0.dropFirst(2)) }
                if !spines.contains("kern") { problem(number, "no **kern spine") }
                started = true
                spineCount = spines.count
                maxSpineCount = spines.count
                return
            }
            guard !finished else {
                problem(number, "line after all spines were terminated")
                return
            }
            guard fields.count == spines.count else {
                problem(number, "\(fields.count) fields but \(spines.count) active spines")
                return
            }
            if let empty = fields.firstIndex(where: \.isEmpty) {
                problem(number, "empty field in spine \(empty + 1)")
                return
            }
            switch fields[0].first {
            case "*": readInterpretations(fields, number: number)
            case "!": requireAll(fields, start: "!", kind: "local comment", number: number)
            case "=": readBarlines(fields, number: number)
            default: readData(fields, number: number)
            }
        }

        mutating func requireAll(
            _ fields: [Substring], start: Character, kind: String, number: Int
        ) {
            if let field = fields.firstIndex(where: { $0.first != start }) {
                problem(number, "\(kind) line has a field not starting with '\(start)' in spine "
                    + "\(field + 1)")
            }
        }

        mutating func readBarlines(_ fields: [Substring], number: Int) {
            requireAll(fields, start: "=", kind: "barline", number: number)
            for field in fields where field.first == "=" {
                if let message = KernTokenGrammar.barlineProblem(field) { problem(number, message) }
            }
            if dataSinceBarline {
                measureCount += 1
                dataSinceBarline = false
            }
        }

        mutating func readData(_ fields: [Substring], number: Int) {
            for (index, field) in fields.enumerated() {
                if let first = field.first, "*!=".contains(first) {
                    problem(number, "data line has '\(field)' in spine \(index + 1)")
                    continue
                }
                guard let spine = spines[index] else {
                    problem(number, "spine \(index + 1) was added by *+ without **name")
                    continue
                }
                guard spine == "kern", field != "." else { continue }
                var notes = 0
                for token in field.split(separator: " ", omittingEmptySubsequences: false) {
                    guard !token.isEmpty else {
                        problem(number, "extra space in spine \(index + 1)")
                        continue
                    }
                    switch KernTokenGrammar.event(token) {
                    case .success(.note): notes += 1
                    case .success(.rest): restCount += 1
                    case .failure(let error):
                        problem(number, "spine \(index + 1), token '\(token)': \(error.message)")
                    }
                }
                noteCount += notes
                if notes > 1 { chordCount += 1 }
            }
            dataSinceBarline = true
        }

        mutating func readInterpretations(_ fields: [Substring], number: Int) {
            requireAll(fields, start: "*", kind: "interpretation", number: number)
            var next: [String?] = []
            var index = 0
            while index < fields.count {
                let field = fields[index]
                let spine = spines[index]
                switch field {
                case "*^":
                    next += [spine, spine]
                case "*+":
                    next += [spine, nil]
                case "*-":
                    break
                case "*v":
                    var end = index
                    while end < fields.count && fields[end] == "*v" { end += 1 }
                    if end - index < 2 {
                        problem(number, "*v in spine \(index + 1) has no neighbouring *v to join")
                    }
                    if Set(spines[index..<end].map { $0 ?? "" }).count > 1 {
                        problem(number, "*v joins spines of different exclusive interpretations")
                    }
                    next.append(spine)
                    index = end
                    continue
                case "*x":
                    guard index + 1 < fields.count, fields[index + 1] == "*x" else {
                        problem(number, "*x in spine \(index + 1) has no neighbouring *x")
                        next.append(spine)
                        index += 1
                        continue
                    }
                    next += [spines[index + 1], spine]
                    index += 2
                    continue
                default:
                    if field.hasPrefix("**") {
                        next.append(String(field.dropFirst(2)))
                    } else {
                        if spine == nil {
                            problem(number, "spine \(index + 1) was added by *+ without **name")
                        } else if spine == "kern",
                            let message = KernTokenGrammar.tandemProblem(field)
                        {
                            problem(number, message)
                        }
                        next.append(spine)
                    }
                }
                index += 1
            }
            spines = next
            maxSpineCount = max(maxSpineCount, spines.count)
            if spines.isEmpty { finished = true }
        }

        mutating func finish() {
            if dataSinceBarline { measureCount += 1 }
            if !started {
                problem(nil, "no exclusive interpretation line (**kern)")
            } else if !finished {
                problem(nil, "\(spines.count) spines not terminated with *- (truncated output?)")
            }
        }
    }
}
