/// The `**kern` token grammar for single tokens: notes and rests (a data field holds one, or a
/// chord of several separated by spaces), barlines, and the tandem interpretations `**kern`
/// defines (`*clefG2`, `*k[f#c#]`, `*M3/4`).
///
/// A note or rest token has exactly one pitch (a run of one letter, `c`, `cc`, `CC`; the case
/// gives the octave) or rest `r`/`rr`; one duration (reciprocal digits `4`, `16`, `0` breve,
/// `00` longa, optionally `%n` for rational durations, then augmentation dots `.`) unless it is
/// a grace note (`q`/`Q`); accidentals `#`, `-`, `n` only right after the pitch; ties `[` `_`
/// `]` only on notes; and otherwise the `**kern` signifiers for slurs, phrases, beams, stems,
/// articulations, ornaments and editorial marks.
enum KernTokenGrammar {
    /// What a data token holds.
    enum Event {
        /// A pitched note.
        case note
        /// A rest.
        case rest
    }

    /// Signifiers allowed anywhere in a note or rest token besides pitch, duration and
    /// accidentals: slurs `( )`, phrases `{ }`, elision `&`, fermata `;`, articulations
    /// ``' " ^ ~ ` , :``, ornaments `o O S $ t T m M w W R`, bowing `u v`, `z` sforzando, `N` `P`
    /// `p` appoggiaturas, beams `L J K k`, stems `/ \`, `< >` and `?` editorial, `x X y Y`
    /// (editorial and invisible), `j H h I U |`.
    private static let signifiers = Set("(){}&;'\"^~`,:oOS$tTmMwWRuvzNPpLJKk/\\<>?xXyYjHhIU|")

    /// Why a data token is malformed.
    struct TokenError: Error {
        /// What is wrong.
        var message: String

        init(_ message: String) { self.message = message }
    }

    private enum Last { case none, duration, percent, dots, pitch, rest, accidental, other }

    /// Reads one space-free token of a data field; the error says what is wrong.
    static func event(_ token: Substring) -> Result<Event, TokenError> {
        var last = Last.none
        var pitchLetter: Character?
        var pitchGroups = 0
        var restGroups = 0
        var durationGroups = 0
        var grace = false
        var tied = false
        for character in token {
            switch character {
            case "0"..."9":
                if last == .duration || last == .percent {
                    last = .duration
                    continue
                }
                durationGroups += 1
                last = .duration
            case "%":
                guard last == .duration else {
                    return .failure(TokenError("'%' not after a duration"))
                }
                last = .percent
            case ".":
                guard last == .duration || last == .dots else {
                    return .failure(TokenError("dot not after a duration"))
                }
                last = .dots
            case "a"..."g", "A"..."G":
                if last == .pitch, character == pitchLetter { continue }
                pitchGroups += 1
                pitchLetter = character
                last = .pitch
            case "r":
                if last == .rest { continue }
                restGroups += 1
                last = .rest
            case "#", "-", "n":
                guard last == .pitch || last == .accidental else {
                    return .failure(TokenError("accidental '\(character)' not after a pitch"))
                }
                last = .accidental
            case "q", "Q":
                grace = true
                last = .other
            case "[", "]", "_":
                tied = true
                last = .other
            default:
                guard signifiers.contains(character) else {
                    return .failure(TokenError("unexpected character '\(character)'"))
                }
                last = .other
            }
        }
        if last == .percent { return .failure(TokenError("'%' without a denominator")) }
        guard pitchGroups + restGroups == 1 else {
            let none = pitchGroups + restGroups == 0
            return .failure(TokenError(none ? "no pitch or rest" : "more than one pitch or rest"))
        }
        guard durationGroups <= 1 else { return .failure(TokenError("more than one duration")) }
        guard durationGroups == 1 || grace else { return .failure(TokenError("no duration")) }
        if restGroups == 1 && tied { return .failure(TokenError("tie on a rest")) }
        return .success(restGroups == 1 ? .rest : .note)
    }

    /// Checks a barline token: `=` or `==`, an optional measure number with an optional
    /// letter (`=12a`), then barline styles from `|`, `!`, `:`, `'`, `` ` ``, `-`, `.`, `;`
    /// (`=:|!`, `=||`, `=-`).
    static func barlineProblem(_ token: Substring) -> String? {
        var rest = token.dropFirst()  // the first `=`
        if rest.first == "=" { rest = rest.dropFirst() }
        rest = rest.drop { $0.isASCII && $0.isNumber }
        if let letter = rest.first, ("a"..."z").contains(letter) { rest = rest.dropFirst() }
        let styles = Set("|!:'`-.;")
        guard rest.allSatisfy(styles.contains) else { return "malformed barline '\(token)'" }
        return nil
    }

    /// Checks the tandem interpretations whose syntax `**kern` fixes: clefs `*clefG2`
    /// (`G F C X`, octave marks `v`/`^`, staff line 1–5), key signatures `*k[b-e-]` (letters each
    /// followed by accidentals) and meters `*M3/4` (`*M6/8`, `*M3+2/8`, rational `*M3/8%2`).
    /// Other tandem interpretations (`*MM120`, `*met(c)`, `*staff1`, `*I"Piano`) pass.
    static func tandemProblem(_ token: Substring) -> String? {
        let body = token.dropFirst()
        if body.hasPrefix("clef") {
            var rest = body.dropFirst(4)
            guard let shape = rest.first, "GFCX".contains(shape) else {
                return "malformed clef '\(token)'"
            }
            rest = rest.dropFirst().drop { $0 == "v" || $0 == "^" }
            guard rest.isEmpty || (rest.count == 1 && ("1"..."5").contains(rest.first!)) else {
                return "malformed clef '\(token)'"
            }
        } else if body.hasPrefix("k[") {
            guard body.hasSuffix("]") else { return "malformed key signature '\(token)'" }
            enum State { case letter, firstAccidental, more }
            var state = State.letter
            for character in body.dropFirst(2).dropLast() {
                switch (state, character) {
                case (.letter, "a"..."g"), (.more, "a"..."g"): state = .firstAccidental
                case (.firstAccidental, "#"), (.firstAccidental, "-"), (.firstAccidental, "n"),
                    (.more, "#"), (.more, "-"), (.more, "n"):
                    state = .more
                default: return "malformed key signature '\(token)'"
                }
            }
            guard state != .firstAccidental else { return "malformed key signature '\(token)'" }
        } else if body.hasPrefix("M"), let second = body.dropFirst().first, second.isNumber {
            let parts = body.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            let numeratorOK = parts.first.map {
                !$0.isEmpty && $0.allSatisfy { $0.isNumber || $0 == "+" }
            }
            let denominator = parts.count == 2 ? parts[1].split(separator: "%") : []
            guard parts.count == 2, numeratorOK == true, (1...2).contains(denominator.count),
                denominator.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
            else { return "malformed meter '\(token)'" }
        }
        return nil
    }
}
