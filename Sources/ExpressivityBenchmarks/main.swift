// Benchmarks for the foundation: `swift run -c release expressivity-bench [quick]`.
// Figures go to Docs/performance.md; timings are wall-clock, best of a few runs.
import CGMP
import Dispatch
import Foundation
import Expressivity
import _TestSupport

/// Prints and flushes at once, so a long run redirected to a file shows its progress.
func say(_ s: String) { print(s); fflush(nil) }

func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}
func best(of runs: Int, _ body: () -> Void) -> Double { (0..<runs).map { _ in seconds(body) }.min()! }
func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

let quick = CommandLine.arguments.contains("quick")
let only = CommandLine.arguments.dropFirst().first { $0 != "quick" }  // rational | polynomial | rank | separation | evidence
// `leaks` mode: a stress loop over GMP-backed values, run under valgrind to check that
// every mpz_t/mpq_t is cleared (see Docs/performance.md).
func leakStress() {
    var g = SeededGenerator(seed: 9)
    var acc = Rational.zero
    for i in 0..<5_000 {
        let a = Rational.random(bits: 120, using: &g), b = BigInt.random(bits: 200, using: &g)
        acc = (acc + a * Rational(b)) / (a.isZero ? 1 : a)
        if i % 16 == 0 { acc = Rational(acc.description)! - acc + a }  // keep sizes bounded
        _ = (b * b).description
        _ = gcd(b, b + 1)
    }
    let m = IntegerMatrix.randomLowRank(rows: 12, columns: 12, rank: 7, range: 1000, using: &g)
    precondition(m.certifiedRank().verify(m) && m.rankBareiss() == 7)
    say("leaks loop done: \(acc.numerator.bitWidth) bits")
}
if only == "leaks" { leakStress(); exit(0) }
// `matrix FILE`: the certified rank of an integer matrix written as rows of whitespace-separated
// integers (Benchmarks/flint_side_by_side.py writes the file and times FLINT on the same one)
if only == "matrix" {
    func fail(_ message: String, _ code: Int32) -> Never { FileHandle.standardError.write((message + "\n").data(using: .utf8)!); exit(code) }
    guard CommandLine.arguments.count > 2 else { fail("usage: expressivity-bench matrix FILE (rows of whitespace-separated integers)", 64) }
    let file = CommandLine.arguments[2]
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { fail("matrix: cannot read \(file)", 66) }
    var rows: [[BigInt]] = []
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.allSatisfy(\.isWhitespace) {
        rows.append(line.split(whereSeparator: \.isWhitespace).enumerated().map { k, token in
            guard let v = BigInt(String(token)) else { fail("matrix: \(file), line \(n + 1), entry \(k + 1): '\(token)' is not an integer", 65) }
            return v
        })
    }
    guard let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else {
        fail("matrix: \(file): no rows, or rows of different lengths", 65)
    }
    let m = IntegerMatrix(rows: rows.count, columns: width, elements: rows.flatMap { $0 })
    var rank = 0
    let t = best(of: 3) { rank = m.certifiedRank().rank }
    say("matrix \(rows.count)x\(width): certified rank \(rank), \(fmt(t, 4)) s (best of 3)")
    exit(0)
}
// `product FILE_A FILE_B`: the packed product of two polynomials, each written as lines
// "coefficient e_1 ... e_n" (an integer and the exponent of every variable); the FLINT script
// writes both files and times fmpz_mpoly_mul on the same polynomials
if only == "product" {
    func fail(_ message: String, _ code: Int32) -> Never { FileHandle.standardError.write((message + "\n").data(using: .utf8)!); exit(code) }
    guard CommandLine.arguments.count > 3 else { fail("usage: expressivity-bench product FILE_A FILE_B (lines: coefficient e_1 ... e_n)", 64) }
    func read(_ file: String) -> Polynomial {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { fail("product: cannot read \(file)", 66) }
        var terms: [(Rational, Monomial)] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.allSatisfy(\.isWhitespace) {
            let tokens = line.split(whereSeparator: \.isWhitespace)
            guard let c = BigInt(String(tokens[0])) else { fail("product: \(file), line \(n + 1): '\(tokens[0])' is not an integer", 65) }
            let exponents = tokens.dropFirst().enumerated().map { k, token -> (variable: Int, exponent: Int) in
                guard let e = Int(token), e >= 0, e <= Monomial.maxExponent else {
                    fail("product: \(file), line \(n + 1), exponent \(k + 1): '\(token)' is not an exponent", 65)
                }
                return (k, e)
            }
            terms.append((Rational(c), Monomial(exponents)))
        }
        return Polynomial(terms: terms)
    }
    let a = PackedPolynomial(read(CommandLine.arguments[2])), b = PackedPolynomial(read(CommandLine.arguments[3]))
    var c = a
    let t = best(of: 3) { c = a * b }
    say("product: \(a.termCount) x \(b.termCount) terms -> \(c.termCount) terms, \(fmt(t, 4)) s (best of 3)")
    exit(0)
}
say("# expressivity-bench \(expressivityVersion)\(quick ? " (quick)" : "")")

// 1. Rational arithmetic: inline fast path vs always-GMP (mpq_t) on the same values.
if only == nil || only == "rational" {
    var g = SeededGenerator(seed: 1)
    let n = quick ? 100_000 : 1_000_000
    for (label, bits) in [("small integers (|v| < 2^10)", 10), ("small fractions (2^20)", 20), ("large (2^100)", 100)] {
        let xs: [Rational] = (0..<1024).map { _ in
            bits > 30 ? Rational.random(bits: bits, using: &g)
                      : (bits == 10 ? Rational(Int.random(in: -1023...1023, using: &g)) : Rational.random(bits: bits, using: &g)) }
        var sink = Rational.zero
        let tInline = best(of: 3) {
            var acc = Rational.zero
            for i in 0..<n { acc = acc + xs[i & 1023] * xs[(i * 7 + 3) & 1023] }
            sink = acc
        }
        // the same multiply-add on raw mpq_t values (what a GMP-only design pays)
        let mp = UnsafeMutablePointer<__mpq_struct>.allocate(capacity: 1026)
        for i in 0..<1026 { __gmpq_init(mp + i) }
        for i in 0..<1024 {
            __gmpz_set_str(cgmp_mpq_numref(mp + i), xs[i].numerator.description, 10)
            __gmpz_set_str(cgmp_mpq_denref(mp + i), xs[i].denominator.description, 10)
        }
        let tGMP = best(of: 3) {
            __gmpq_set_ui(mp + 1024, 0, 1)
            for i in 0..<n {
                __gmpq_mul(mp + 1025, mp + (i & 1023), mp + ((i * 7 + 3) & 1023))
                __gmpq_add(mp + 1024, mp + 1024, mp + 1025)
            }
        }
        var same = false
        let text = sink.description
        do { var buf = [CChar](repeating: 0, count: text.utf8.count + 8); __gmpq_get_str(&buf, 10, mp + 1024); same = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == text }
        for i in 0..<1026 { __gmpq_clear(mp + i) }
        mp.deallocate()
        say("rational multiply-add, \(label): \(fmt(Double(n) / tInline / 1e6, 1)) M/s (Rational) vs \(fmt(Double(n) / tGMP / 1e6, 1)) M/s (raw mpq_t); results equal: \(same)")
    }
}

// 2. Polynomial product of two 10^4-term polynomials.
/// `terms` distinct monomials with every variable's exponent uniform in 0...maxExponent.
func randomPolynomial(variables: Int, maxExponent: Int, terms: Int, integer: Bool, using g: inout SeededGenerator) -> Polynomial {
    var seen = Set<[Int]>()
    var list: [(Rational, Monomial)] = []
    while list.count < terms {
        let e = (0..<variables).map { _ in Int.random(in: 0...maxExponent, using: &g) }
        guard seen.insert(e).inserted else { continue }
        let c = integer ? Rational(Int.random(in: -(1 << 20)...(1 << 20), using: &g)) : Rational.random(bits: 20, using: &g)
        list.append((c.isZero ? 1 : c, Monomial(e.enumerated().map { ($0, $1) })))
    }
    return Polynomial(terms: list)
}

if only == nil || only == "polynomial" {
    var g = SeededGenerator(seed: 2)
    // dense: products collide heavily (as in unrolling); sparse: almost every pair is new.
    let terms = quick ? 2_000 : 10_000
    let cases: [(String, Int, Int, Int, Bool)] = [
        ("dense, integer coefficients", 4, 14, terms, true),
        ("dense, rational coefficients", 4, 14, quick ? 1_000 : 3_000, false),
        ("sparse, integer coefficients", 30, 1, quick ? 500 : 2_000, true),
    ]
    for (label, vars, maxExp, n, integer) in cases {
        let a = randomPolynomial(variables: vars, maxExponent: maxExp, terms: n, integer: integer, using: &g)
        let b = randomPolynomial(variables: vars, maxExponent: maxExp, terms: n, integer: integer, using: &g)
        var c = Polynomial.zero
        let t = best(of: 1) { c = a * b }
        say("polynomial product, \(label): \(a.termCount) x \(b.termCount) terms in \(vars) variables -> \(c.termCount) terms: \(fmt(t)) s (\(fmt(Double(a.termCount * b.termCount) / t / 1e6, 1)) M term products/s)")
    }
}

// 3. Exact rank of random integer matrices (entries in [-100, 100]).
if only == nil || only == "rank" {
    var g = SeededGenerator(seed: 3)
    let sizes = quick ? [100, 200] : [100, 200, 400, 800, 1000]
    for n in sizes {
        let a = IntegerMatrix.random(rows: n, columns: n, range: 100, using: &g)
        var r = 0
        let t = best(of: n >= 800 ? 1 : 3) { r = a.rank() }
        say("certified rank, random \(n)x\(n) in [-100,100]: rank \(r), \(fmt(t, 4)) s")
    }
    for (n, rk) in quick ? [(100, 75)] : [(100, 75), (200, 150)] {
        let a = IntegerMatrix.randomLowRank(rows: n, columns: n, rank: rk, range: 10, using: &g)
        var r = 0
        let t = best(of: 1) { r = a.rank() }
        let tb = best(of: 1) { _ = a.rankBareiss() }
        say("certified rank, \(n)x\(n) of rank \(rk) (product of [-10,10] factors): rank \(r), \(fmt(t, 4)) s; Bareiss \(fmt(tb, 4)) s")
    }
}

// 4. Separation ranks: the automaton algorithm at scale, and split vs unfolding.
if only == nil || only == "separation" {
    let shallow = FamilySpec(family: .affineTwoRNN, depth: 1, hidden: 8, inputDim: 4, seed: 1).model()
    for T in quick ? [100] : [100, 1000] {
        var ranks: [Int] = []
        let t = best(of: 1) { ranks = (try? SeparationRank.profile(model: shallow, length: T))?.map(\.rank) ?? [] }
        say("automaton rank profile, affine-2rnn n=8 d=4, T=\(T): all \(T - 1) cuts in \(fmt(t)) s (max rank \(ranks.max() ?? -1))")
    }
    for (family, L, T) in quick ? [(ModelFamily.twoRNN, 2, 6)] : [(ModelFamily.twoRNN, 2, 6), (.twoRNN, 2, 8), (.rac, 2, 8), (.affineTwoRNN, 2, 6), (.twoRNN, 3, 6)] {
        let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: 1).model()
        var ru = 0, rs = 0
        let tu = best(of: 1) { ru = (try? SeparationRank.compute(model: m, length: T, partition: .startEnd, options: .init(method: .unfolding, maxTerms: 50_000_000)))?.rank ?? -1 }
        let ts = best(of: 1) { rs = (try? SeparationRank.compute(model: m, length: T, partition: .startEnd, options: .init(method: .split, maxTerms: 50_000_000)))?.rank ?? -1 }
        say("start-end rank, \(family.rawValue) L=\(L) n=2 d=2 T=\(T): unfolding \(ru) in \(fmt(ts > 0 ? tu : tu)) s, split \(rs) in \(fmt(ts)) s")
    }
}

// 5. Evidence: a lifted rank found, then checked from the model alone (no expansion); the
//    bilinear hierarchy of the largest catalogue task.
if only == nil || only == "evidence" {
    for (L, T, profileLength) in quick ? [(2, 20, 8)] : [(2, 30, 12), (2, 60, 16), (3, 8, 6)] {
        let m = FamilySpec(family: .rac, depth: L, hidden: 2, inputDim: 2, seed: 5, range: 1000).model()
        var r: SeparationRankResult?
        let tc = best(of: 1) { r = try? SeparationRank.compute(model: m, length: T, partition: .startEnd) }
        var ok = false
        let tv = best(of: 1) { ok = (try? r?.evidence.verify(maxTerms: 1_000_000)) ?? false }
        say("lifted start-end rank, rac L=\(L) n=2 d=2 T=\(T): rank \(r?.rank ?? -1) in \(fmt(tc)) s; evidence verified (\(ok)) without expansion in \(fmt(tv)) s")
        // a profile's cuts have monomial rows: each check rebuilds the system from step 0
        var profile: [SeparationRankResult] = []
        let tp = best(of: 1) { profile = (try? SeparationRank.profile(model: m, length: profileLength)) ?? [] }
        var all = false
        let tq = best(of: 1) { all = !profile.isEmpty && profile.allSatisfy { (try? $0.evidence.verify(maxTerms: 1_000_000)) ?? false } }
        say("  profile at T=\(profileLength), all \(profileLength - 1) cuts: \(fmt(tp)) s; every cut's evidence verified (\(all)) in \(fmt(tq)) s")
    }
    // the graded observable pass (depth 3): the rank in seconds; the check composes each
    // generator of every level with the whole step map
    for T in quick ? [] : [12, 16] {
        let m = FamilySpec(family: .rac, depth: 3, hidden: 2, inputDim: 2, seed: 5, range: 1000).model()
        var r: SeparationRankResult?
        let tc = best(of: 1) { r = try? SeparationRank.compute(model: m, length: T, partition: .startEnd) }
        var ok = false
        let tv = best(of: 1) { ok = (try? r?.evidence.verify(maxTerms: 20_000_000)) ?? false }
        say("graded start-end rank, rac L=3 n=2 d=2 T=\(T): rank \(r?.rank ?? -1) in \(fmt(tc)) s; evidence verified (\(ok)) without expansion in \(fmt(tv)) s")
    }
    // the degree patterns of a bilinear stack (a 2rnn: no Hadamard first layer): the state
    // count less the killed states, met by a point minor; the check reruns the minor
    for T in quick ? [12] : [12, 16, 20] {
        let m = FamilySpec(family: .twoRNN, depth: 3, hidden: 2, inputDim: 2, seed: 5, range: 1000).model()
        var r: SeparationRankResult?
        let tc = best(of: 1) { r = try? SeparationRank.compute(model: m, length: T, partition: .startEnd) }
        var ok = false
        let tv = best(of: 1) { ok = (try? r?.evidence.verify()) ?? false }
        say("degree-pattern start-end rank, 2rnn L=3 n=2 d=2 T=\(T): rank \(r?.rank ?? -1) in \(fmt(tc)) s; evidence verified (\(ok)) without expansion in \(fmt(tv)) s")
    }
    // the whole depth-3 profile: cut 2 by an equation of the reachable states, the others by counts
    for T in quick ? [8] : [8, 12] {
        let m = FamilySpec(family: .twoRNN, depth: 3, hidden: 2, inputDim: 2, seed: 5, range: 1000).model()
        var profile: [SeparationRankResult] = []
        let tp = best(of: 1) { profile = (try? SeparationRank.profile(model: m, length: T)) ?? [] }
        var ok = false
        let tv = best(of: 1) { ok = !profile.isEmpty && profile.allSatisfy { (try? $0.evidence.verify()) ?? false } }
        say("degree-pattern profile, 2rnn L=3 n=2 d=2 T=\(T): ranks \(profile.map(\.rank)) in \(fmt(tp)) s; every cut's evidence verified (\(ok)) in \(fmt(tv)) s")
    }
    for name in [TaskName.s3, .s5] {
        var exact = 0
        let t = best(of: 1) { exact = BilinearHierarchy(StateTrackingTask(name)).verdicts.filter(\.isExact).count }
        say("bilinear hierarchy, \(name): \(exact) classes exact, the rest impossible or intervals, in \(fmt(t)) s")
    }
}
