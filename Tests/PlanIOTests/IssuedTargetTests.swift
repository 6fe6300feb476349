import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// Issue 34: an issued target split down is a target like any other: each Kanwil's share split over
/// its segments by the allocation's rule, phased by month, and what `track` measures against.
@Suite struct IssuedTargetTests {
    static let draws = 1000

    /// The national fixture with acquisitions issued too (two persons segments share them: PU, JAKON).
    static func folder(branches: Bool = false, issued: String = "{active: 760000, acquisitions: 800000}", rule: String = "equal_stretch") throws -> ScenarioTempDir {
        var files: [String: String] = [:]
        for name in ["barat", "tengah", "timur"] {
            for file in ["\(name).yaml", "\(name)-history.csv"] {
                files[file] = try String(contentsOf: NationalJobTests.fixture.appendingPathComponent(file), encoding: .utf8)
            }
        }
        let national = try String(contentsOf: URL(fileURLWithPath: NationalJobTests.national), encoding: .utf8)
        if branches {
            files["barat.yaml"] = files["barat.yaml"]!.replacingOccurrences(
                of: "region: Barat\n", with: "region: Barat\nbranches:\n  - {name: KC Satu, potential_share: 0.6}\n  - {name: KC Dua, potential_share: 0.4}\n")
        }
        files["nasional.yaml"] = national.replacingOccurrences(of: "issued: {active: 760000}", with: "issued: \(issued)")
            .replacingOccurrences(of: "allocation: equal_stretch", with: "allocation: \(rule)")
        #expect(files["nasional.yaml"] != national)
        return ScenarioTempDir().write(files)
    }

    static func computed(_ dir: ScenarioTempDir, draws: Int = draws) throws -> NationalJob.Computed {
        let doc = try #require(try NationalJob.read(path: dir.file("nasional.yaml"), overrides: []))
        return try NationalJob.compute(doc, settings: RunJob.Settings(draws: draws, seed: 3, threads: 1))
    }

    /// Every Kanwil's share is split over its segments in whole persons that sum to it exactly, each
    /// segment at one common P(tercapai) (equal stretch: the same level of each segment's own draws);
    /// the Kanwil's TOTAL issued row is its share and the nation's is the issued figure, at the
    /// P(tercapai) of the joint draws.
    @Test func theSharesSplitDownToTheSegmentsAtOneStretch() throws {
        let dir = try Self.folder()
        let c = try Self.computed(dir)
        let issued = c.view.targets.filter { $0.basis == .issued }
        #expect(c.view.allocations.map(\.metric) == [.active, .acquisitions])
        for a in c.view.allocations {
            for u in a.units {
                let segments = issued.filter { $0.region == u.region && $0.metric == a.metric && !$0.isTotal }
                #expect(segments.map(\.segment) == (a.metric == .active ? ["PU"] : ["PU", "JAKON"]), "\(u.region) \(a.metric)")
                #expect(segments.reduce(0) { $0 + $1.target } == Double(u.allocated))
                let total = try #require(issued.first { $0.region == u.region && $0.metric == a.metric && $0.isTotal })
                #expect(total.target == Double(u.allocated))
                // Equal stretch among the segments: each one's P(tercapai) of its share within a few
                // draws of the others' (the shares are whole persons), and each near the level that the
                // share's own draws give it.
                let reach = segments.compactMap(\.probability)
                #expect(reach.count == segments.count && reach.max()! - reach.min()! <= 3.0 / Double(Self.draws), "\(u.region) \(a.metric): \(reach)")
                // The segments' shares bracket their own proposals the way the Kanwil's share does its own.
                let proposals = segments.map { s in c.view.targets.first { $0.region == s.region && $0.segment == s.segment && $0.metric == s.metric && $0.basis == .projection }!.target }
                for (s, p) in zip(segments, proposals) { #expect((s.target >= p) == (Double(u.allocated) >= u.proposal), "\(s.segment): \(s.target) vs \(p)") }
            }
            let all = try #require(issued.first { $0.region == Targets.allRegions && $0.metric == a.metric })
            #expect(all.target == Double(a.issued) && all.probability == a.totalReach)
            #expect(all.flags.contains(.reachBelow20) == ((a.totalReach ?? 1) < 0.2))
        }
    }

    /// Phased like any target: the realised months are the history's (as in the projection row), a
    /// stock's December is its target and its path is the projection's bent to it; a flow's months
    /// sum to its target, the rest spread over the projected months as the projection spreads its own.
    @Test func theIssuedTargetsArePhasedByMonth() throws {
        let dir = try Self.folder()
        let c = try Self.computed(dir)
        let issued = c.view.phasing.filter { $0.row.basis == .issued }
        #expect(issued.count == 9)
        for p in issued {
            let own = try #require(c.view.phasing.first { $0.row.region == p.row.region && $0.row.segment == p.row.segment && $0.row.metric == p.row.metric && $0.row.basis == .projection })
            let values = p.months.map { $0.value! }, base = own.months.map { $0.value! }
            // January to June 2018 are realised in the fixture.
            #expect(p.months.prefix(6).allSatisfy { $0.status == .realised } && p.months.suffix(6).allSatisfy { $0.status == .projected })
            #expect(Array(values.prefix(6)) == Array(base.prefix(6)))
            if p.row.metric.isFlow {
                #expect(values.reduce(0, +) == p.row.target)
                // What remains after June, spread in proportion to the same projected flows.
                let (left, baseLeft) = (p.row.target - values.prefix(6).reduce(0, +), own.row.target - base.prefix(6).reduce(0, +))
                for k in 6..<12 { #expect(abs(values[k] - left * base[k] / baseLeft) <= 2, "\(p.row.region) \(p.row.segment) month \(k + 1)") }
            } else {
                #expect(values[11] == p.row.target)
                // T_m = A₀ + (T − A₀)·(M_m − A₀)/(M_last − A₀) for both targets (same A₀ and median
                // path M): the issued path is the projection's stretched about A₀ by (T₁ − A₀)/(T₀ − A₀).
                let a0 = values[5]
                for k in 6..<12 {
                    let expected = a0 + (base[k] - a0) * (p.row.target - a0) / (own.row.target - a0)
                    #expect(abs(values[k] - expected) <= 2 + 0.002 * abs(p.row.target - a0), "\(p.row.region) month \(k + 1): \(values[k]) vs \(expected)")
                }
            }
        }
    }

    /// `track` measures a Kanwil against its issued targets, not its own proposal, and says so; a
    /// national plan is tracked one Kanwil file at a time (the other Kanwil's rows set aside).
    @Test func trackMeasuresAgainstTheIssuedTargets() throws {
        let dir = try Self.folder()
        let settings = RunJob.Settings(draws: 200, seed: 3, threads: 1)
        _ = try #require(try NationalJob.run(scenarioPath: dir.file("nasional.yaml"), outputDirectory: dir.file("out"), overrides: [], settings: settings, now: Date()))
        let plan = try PlanReader.read(path: dir.file("out/targets.json"))
        #expect(plan.national && plan.issued && plan.unreadProposals.isEmpty)
        let tracked = try TrackJob.run(scenarioPath: dir.file("barat.yaml"), planPath: dir.file("out/targets.json"), outputDirectory: dir.file("track"), settings: settings)
        let c = try Self.computed(dir, draws: 200)
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let share = try #require(c.view.allocations.first { $0.metric == metric }?.units.first { $0.region == "Barat" })
            let total = try #require(tracked.rows.first { $0.region == "Barat" && $0.segment == History.totalSegment && $0.metric == metric && $0.branch == nil })
            #expect(total.annualTarget == Double(share.allocated))
        }
        #expect(Set(tracked.rows.map(\.region)) == ["Barat"])
        let md = try String(contentsOfFile: dir.file("track/tracking.md"), encoding: .utf8)
        #expect(md.contains("target peserta aktif akhir tahun, akuisisi: alokasi target terbit (basis issued)"), "\(md)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("track/tracking.json")))) as! [String: Any]
        let basis = (json["plan"] as? [String: Any])?["target_basis"] as? [String: String]
        #expect(basis?["active"] == "issued" && basis?["acquisitions"] == "issued" && basis?["iuran"] == "projection", "\(String(describing: basis))")

        // The national workbook reads to the same plan (national, the same issued indicators, the
        // same figures) and tracks a Kanwil alike.
        let book = try PlanReader.read(path: dir.file("out/targets.xlsx"))
        #expect(book.national && book.fromWorkbook && book.issuedMetrics == plan.issuedMetrics && book.edits.isEmpty)
        #expect(PlanWorkbookTests.figures(book) == PlanWorkbookTests.figures(plan))
        let fromBook = try TrackJob.run(scenarioPath: dir.file("barat.yaml"), planPath: dir.file("out/targets.xlsx"), outputDirectory: dir.file("track-xlsx"), settings: settings)
        #expect(fromBook.rows.map { "\($0.segment) \($0.metric) \($0.annualTarget)" } == tracked.rows.map { "\($0.segment) \($0.metric) \($0.annualTarget)" })
        let bookJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("track-xlsx/tracking.json")))) as! [String: Any]
        #expect(((bookJSON["plan"] as? [String: Any])?["target_basis"] as? [String: String]) == basis)
    }

    /// A projection row edited in a plan that has the issued row of the same target is not read, and
    /// track says so (a warning, tracking.md and tracking.json), naming the figure rkat wrote (the
    /// issued row's `proposal`), the edited one and the issued target measured instead.
    @Test func anEditedProposalBesideAnIssuedRowIsSaidNotRead() throws {
        let dir = try Self.folder()
        let settings = RunJob.Settings(draws: 100, seed: 3, threads: 1)
        _ = try #require(try NationalJob.run(scenarioPath: dir.file("nasional.yaml"), outputDirectory: dir.file("out"), overrides: [], settings: settings, now: Date()))
        var doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/targets.json")))) as! [String: Any]
        var rows = doc["targets"] as! [[String: Any]]
        func index(_ basis: String) -> Int { rows.firstIndex { $0["region"] as? String == "Barat" && $0["segment"] as? String == "PU" && $0["metric"] as? String == "active" && $0["basis"] as? String == basis }! }
        let (projection, issued) = (index("projection"), index("issued"))
        let written = rows[projection]["target"] as! Double, target = rows[issued]["target"] as! Double
        #expect(rows[issued]["proposal"] as? Double == written && rows[projection]["proposal"] == nil)
        rows[projection]["target"] = written + 5000
        var months = rows[projection]["months"] as! [String: Any]
        months["2018-12"] = ["status": "projected", "target": written + 5000]
        rows[projection]["months"] = months
        doc["targets"] = rows
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: dir.file("edited.json")))
        let tracked = try TrackJob.run(scenarioPath: dir.file("barat.yaml"), planPath: dir.file("edited.json"), outputDirectory: dir.file("track"), settings: settings)
        let pu = try #require(tracked.rows.first { $0.segment == "PU" && $0.metric == .active && $0.branch == nil })
        #expect(pu.annualTarget == target)
        let said = "Barat PU active at year end: the projection row was edited (rkat wrote \(Words(indonesian: false).figure(written, .active)), now \(Words(indonesian: false).figure(written + 5000, .active))) but is not read: the target measured is the issued row, \(Words(indonesian: false).figure(target, .active))"
        #expect(tracked.warnings.contains { $0.english.hasPrefix(said) }, "\(tracked.warnings.map(\.english))")
        let md = try String(contentsOfFile: dir.file("track/tracking.md"), encoding: .utf8)
        #expect(md.contains("- Barat PU peserta aktif akhir tahun: baris proyeksi disunting"), "\(md)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("track/tracking.json")))) as! [String: Any]
        let unread = (json["plan"] as? [String: Any])?["unread_proposals"] as? [[String: Any]]
        #expect(unread?.count == 1 && unread?.first?["edited"] as? Double == written + 5000 && unread?.first?["issued"] as? Double == target)
    }

    /// The same from the national workbook: its anchor sheet says where each issued row's proposal
    /// stands and what rkat wrote there; the summary's projection cell edited is said, not read.
    @Test func anEditedProposalInTheWorkbookIsSaidNotRead() throws {
        let dir = try Self.folder()
        let settings = RunJob.Settings(draws: 100, seed: 3, threads: 1)
        _ = try #require(try NationalJob.run(scenarioPath: dir.file("nasional.yaml"), outputDirectory: dir.file("out"), overrides: [], settings: settings, now: Date()))
        let book = try Workbook.open(path: dir.file("out/targets.xlsx"))
        let anchor = try PlanAnchor(try book.read(try #require(book.sheets.first { $0.name == PlanAnchor.sheetName })))
        #expect(anchor.national && anchor.issued == [.active, .acquisitions] && anchor.proposals.count == 17, "\(anchor.proposals)")
        // 17: each Kanwil's issued rows (active: PU and TOTAL; acquisitions: PU, JAKON and TOTAL), and the nation's two.
        let issued = try #require(anchor.cells.first { $0.region == "Barat" && $0.segment == "PU" && $0.metric == .active && $0.month == nil })
        let proposal = try #require(anchor.proposals.first { $0.issued == issued.reference })
        let edited = try HistoryWorkbookTests.edited(at: URL(fileURLWithPath: dir.file("out/targets.xlsx"))) {
            $0.replacingOccurrences(
                of: #"<c r="\#(proposal.proposal)"( s="\d+")?( t="n")?><v>\#(Int(proposal.written))</v></c>"#,
                with: "<c r=\"\(proposal.proposal)\" t=\"n\"><v>\(Int(proposal.written) + 5000)</v></c>", options: .regularExpression)
        }
        let plan = try PlanReader.read(path: edited)
        #expect(plan.unreadProposals == [ApprovedPlan.UnreadProposal(region: "Barat", segment: "PU", metric: .active, written: proposal.written, edited: proposal.written + 5000, issued: issued.original)])
        #expect(plan.edits.isEmpty)
        // Unedited, nothing is said.
        #expect(try PlanReader.read(path: dir.file("out/targets.xlsx")).unreadProposals.isEmpty)
    }

    /// Below a Kanwil with branches, the branches split its issued share (not its proposal) by the
    /// branch rule, here their potential shares 60/40: each segment's branch targets sum exactly to
    /// the Kanwil's issued row, and so do their months.
    @Test func theBranchesSplitTheIssuedShare() throws {
        let dir = try Self.folder(branches: true)
        let c = try Self.computed(dir, draws: 300)
        let branches = c.view.branches.filter { $0.region == "Barat" }
        #expect(!branches.isEmpty && branches.allSatisfy(\.ofIssued))
        #expect(TargetsWriter.csv(c.view).contains(",KC Satu,PU,active,branch allocation (issued),"))
        #expect(TargetsText.json(c.view, scenarioFiles: [], history: ("h", "0")).contains("\"basis\" : \"branch allocation (issued)\""))
        #expect(c.view.branches.allSatisfy { $0.region == "Barat" })
        for row in c.view.targets where row.region == "Barat" && row.basis == .issued && !row.isTotal {
            let split = branches.filter { $0.segment == row.segment && $0.metric == row.metric }
            #expect(split.map(\.branch) == ["KC Satu", "KC Dua"])
            #expect(split.reduce(0) { $0 + $1.target } == Int(exactly: row.target), "\(row.segment) \(row.metric)")
            // 60% of the share to the person (largest remainder), the rest to the other.
            #expect(abs(Double(split[0].target) - 0.6 * row.target) <= 0.5, "\(split[0].target) vs 0.6 × \(row.target)")
            let kanwil = try #require(c.view.phasing.first { $0.row.region == "Barat" && $0.row.segment == row.segment && $0.row.metric == row.metric && $0.row.basis == .issued })
            for k in 0..<12 { #expect(split.reduce(0) { $0 + $1.months[k]! } == kanwil.months[k].value!, "\(row.segment) \(row.metric) month \(k + 1)") }
        }
        // Each branch's TOTAL is its segments summed.
        for b in ["KC Satu", "KC Dua"] {
            for metric in [TargetRow.Metric.active, .acquisitions] {
                let parts = branches.filter { $0.branch == b && $0.metric == metric && $0.segment != History.totalSegment }
                let total = try #require(branches.first { $0.branch == b && $0.metric == metric && $0.segment == History.totalSegment })
                #expect(total.target == parts.reduce(0) { $0 + $1.target })
            }
        }
    }

    /// Branches with a history of their own are a level with draws: by equal stretch each gets the
    /// same level of its own draws, so its TOTAL's P(tercapai) (from its own draws) is the same as the
    /// other's, and the two sum exactly to the Kanwil's share. KC Satu's history is 60% of Barat's;
    /// KC Dua's 40% with ±12% of its own month-to-month noise, so its band is relatively wider and a
    /// split in proportion to the branches' own projections would stretch them unequally.
    @Test func branchesWithTheirOwnHistoryFaceOneStretch() throws {
        // Shares well above the proposals, where the branches' bands differ most.
        let dir = try Self.folder(branches: true, issued: "{active: 780000, acquisitions: 825000}")
        let history = try String(contentsOfFile: dir.file("barat-history.csv"), encoding: .utf8)
        var extra = ""
        for (k, line) in history.split(separator: "\n").dropFirst().enumerated() {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let value = Double(f[4])!
            let month = Double(k / 3)
            for (name, factor) in [("KC Satu", 0.6), ("KC Dua", 0.4 * (1 + 0.12 * sin(2.7 * month + Double(k % 3))))] {
                f[1] = name
                f[4] = String(format: "%.0f", value * factor)
                extra += f.joined(separator: ",") + "\n"
            }
        }
        dir.write(["barat-history.csv": history + extra])
        let c = try Self.computed(dir, draws: 400)
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let share = try #require(c.view.allocations.first { $0.metric == metric }?.units.first { $0.region == "Barat" })
            let totals = c.view.branches.filter { $0.region == "Barat" && $0.segment == History.totalSegment && $0.metric == metric }
            #expect(totals.count == 2 && totals.allSatisfy { $0.ofIssued && $0.reachFromOwnDraws })
            #expect(totals.reduce(0) { $0 + $1.target } == share.allocated)
            let reach = totals.compactMap(\.probability)
            #expect(reach.count == 2 && abs(reach[0] - reach[1]) <= 3.0 / 400, "\(metric): \(reach)")
            // Not in proportion to their own projections (what a branch with a history weighs in with
            // under the other rules): that would stretch the quieter KC Satu further.
            let own = totals.map { $0.ownTarget! }
            let draws = try ["KC Satu", "KC Dua"].map { b in try #require(c.view.outlooks.first { $0.branch == b }?.draws(History.totalSegment, metric)) }
            let proportional = own.map { Double(share.allocated) * $0 / (own[0] + own[1]) }
            let unequal = zip(draws, proportional).map { MonteCarlo.probability($0, atLeast: $1) }
            #expect(abs(unequal[0] - unequal[1]) > 0.03, "\(metric): proportional would give \(unequal)")
        }
    }

    /// A history without TOTAL rows still gives a total its previous year: the persons segments'
    /// 2017 figures summed (December's stock, the year's acquisitions), read here from the fixture's
    /// history files; the nation's is the Kanwil's summed, and each row's growth is its own target's.
    @Test func theTotalsSayLastYearsRealisation() throws {
        let dir = try Self.folder()
        let c = try Self.computed(dir, draws: 200)
        var nation: [TargetRow.Metric: Double] = [:]
        for name in ["Barat", "Tengah", "Timur"] {
            let lines = try String(contentsOfFile: dir.file("\(name.lowercased())-history.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            let fields = lines.map { $0.split(separator: ",").map(String.init) }
            let active = fields.filter { $0[0] == "2017-12" && $0[3] == "active" }.reduce(0) { $0 + Double($1[4])! }
            let acquisitions = fields.filter { $0[0].hasPrefix("2017-") && $0[3] == "acquisitions" }.reduce(0) { $0 + Double($1[4])! }
            for (metric, expected) in [(TargetRow.Metric.active, active), (.acquisitions, acquisitions)] {
                for row in c.view.targets where row.region == name && row.isTotal && row.metric == metric {
                    #expect(row.lastRealisation == expected && row.lastRealisationThrough == Month(year: 2017, month: 12), "\(name) \(metric) \(row.basis)")
                    #expect(row.growthVsRealisation == row.target / expected - 1)
                }
                nation[metric, default: 0] += expected
            }
        }
        for row in c.view.targets where row.region == Targets.allRegions {
            #expect(row.lastRealisation == nation[row.metric] && row.growthVsRealisation == row.target / nation[row.metric]! - 1, "\(row.metric) \(row.basis)")
        }
        #expect(c.view.targets.filter { $0.region == Targets.allRegions && $0.basis == .issued }.count == 2)
    }

    /// Coverage gap at the segment level needs every segment's potential: JAKON (flows only, no
    /// potential) and PU then share a Kanwil's acquisitions in proportion to their projections, not
    /// all of it to PU; and the plan rkat wrote is one `track` takes.
    @Test func coverageGapWithAFlowOnlySegmentSharesByProjection() throws {
        let dir = try Self.folder(rule: "coverage_gap")
        let c = try Self.computed(dir, draws: 200)
        for u in try #require(c.view.allocations.first { $0.metric == .acquisitions }).units {
            let rows = c.view.targets.filter { $0.region == u.region && $0.metric == .acquisitions && !$0.isTotal }
            // Their projections: the realised months plus the deterministic projection's (the projection rows of the Kanwil's own run).
            let unit = try #require(c.units.first { $0.name == u.region })
            let proposals = ["PU", "JAKON"].map { seg in
                rows.first { $0.segment == seg && $0.basis == .projection }!.realisedToDate!
                    + unit.projection.rows(region: u.region, segment: seg).filter { $0.month.year == 2018 }.reduce(0) { $0 + $1.acquisitions }
            }
            let shares = ["PU", "JAKON"].map { seg in rows.first { $0.segment == seg && $0.basis == .issued }!.target }
            #expect(shares.reduce(0, +) == Double(u.allocated))
            for k in 0..<2 { #expect(abs(shares[k] - Double(u.allocated) * proposals[k] / proposals.reduce(0, +)) <= 1, "\(u.region): \(shares) vs \(proposals)") }
        }
        let settings = RunJob.Settings(draws: 200, seed: 3, threads: 1)
        _ = try #require(try NationalJob.run(scenarioPath: dir.file("nasional.yaml"), outputDirectory: dir.file("out"), overrides: [], settings: settings, now: Date()))
        _ = try TrackJob.run(scenarioPath: dir.file("barat.yaml"), planPath: dir.file("out/targets.json"), outputDirectory: dir.file("track"), settings: settings)
    }

    /// An issued flow below what is already realised in part of the units: no Kanwil's share and no
    /// segment's share is below its realisation so far (raised to it, the others giving up what that
    /// adds), the sums stay exact, and the plan is one `track` takes.
    /// (Proportional puts PU, whose year is further along, below its realisation at the segment level.)
    @Test(arguments: ["equal_stretch", "proportional"]) func noFlowShareFallsBelowItsRealisation(rule: String) throws {
        let dir = try Self.folder(issued: "{active: 760000, acquisitions: 470000}", rule: rule)
        let c = try Self.computed(dir, draws: 200)
        let a = try #require(c.view.allocations.first { $0.metric == .acquisitions })
        #expect(a.units.reduce(0) { $0 + $1.allocated } == 470_000)
        var raised = false
        for u in a.units {
            let rows = c.view.targets.filter { $0.region == u.region && $0.metric == .acquisitions && !$0.isTotal }
            let realised = rows.filter { $0.basis == .projection }.reduce(0) { $0 + $1.realisedToDate! }
            #expect(Double(u.allocated) >= realised, "\(u.region): \(u.allocated) < \(realised)")
            for seg in ["PU", "JAKON"] {
                let own = rows.first { $0.segment == seg && $0.basis == .projection }!, share = rows.first { $0.segment == seg && $0.basis == .issued }!
                #expect(share.target >= own.realisedToDate!, "\(u.region) \(seg)")
                if share.target - own.realisedToDate! < 1 { raised = true }
            }
            #expect(rows.filter { $0.basis == .issued }.reduce(0) { $0 + $1.target } == Double(u.allocated))
        }
        #expect(raised || a.commonReach == nil, "the case should need a floor somewhere")
        let settings = RunJob.Settings(draws: 200, seed: 3, threads: 1)
        _ = try #require(try NationalJob.run(scenarioPath: dir.file("nasional.yaml"), outputDirectory: dir.file("out"), overrides: [], settings: settings, now: Date()))
        _ = try TrackJob.run(scenarioPath: dir.file("tengah.yaml"), planPath: dir.file("out/targets.json"), outputDirectory: dir.file("track"), settings: settings)
    }

    /// A plan of one scenario (not national) with no issued rows is tracked on its projection rows, as
    /// before; one with both rows takes the issued row.
    @Test func thePlanReaderPrefersTheIssuedRow() throws {
        func plan(_ bases: [String]) -> String {
            let rows = bases.enumerated().map { i, b in
                "{\"region\": \"R\", \"segment\": \"PU\", \"metric\": \"acquisitions\", \"basis\": \"\(b)\", \"target\": \(1200 + 120 * i), \"monthly\": [\((0..<12).map { _ in String(100 + 10 * i) }.joined(separator: ","))]}"
            }
            return "{\"plan_year\": 2018, \"targets\": [\(rows.joined(separator: ","))]}"
        }
        let dir = ScenarioTempDir().write(["a.json": plan(["projection", "issued"]), "b.json": plan(["projection"]), "c.json": plan(["issued", "projection"])])
        for (file, annual, issued) in [("a.json", 1320.0, true), ("b.json", 1200.0, false), ("c.json", 1200.0, true)] {
            let p = try PlanReader.read(path: dir.file(file))
            #expect(p.targets.map(\.annual) == [annual] && p.issued == issued && !p.national, "\(file)")
        }
    }
}
