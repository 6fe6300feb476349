import Fitting
import Foundation

/// Iuran (contribution revenue) per active member and month, by how a segment pays
/// (docs/iuran.md; rates from ../shared/domain-brief.md §8).
public enum Contribution: Sendable, Equatable {
    /// Wage earners (PU): a wage distribution as bands (monthly wage in rupiah, share of members;
    /// shares sum to 1) and the programme rates of the year. JP is paid on the wage up to the cap, so
    /// it is computed band by band: capping an average wage overstates it when some wages are above
    /// the cap and the average is not.
    case wages(bands: [WageBand], rates: ProgrammeRates)
    /// Informal workers (BPU): a package amount a month (Rp 16,800 for JKK + JKM at the minimum
    /// declared income; Rp 36,800 with JHT).
    case package(rupiah: Double)
    /// A stated amount a member-month (JAKON without known wages, programme cohorts at their cost).
    case stated(rupiah: Double)
    /// Construction projects (JAKON) paying by contract value (`JakonTiers`), as bands of project
    /// value (share of projects), spread over the workers a project registers: rupiah per
    /// acquisition, not per member-month.
    case projects(bands: [ProjectBand], workersPerProject: Double)

    public struct ProjectBand: Sendable, Equatable {
        public var value: Double
        public var share: Double
        public init(value: Double, share: Double) {
            self.value = value
            self.share = share
        }
    }

    /// JKK + JKM on a construction contract's value, marginal tiers (domain-brief §8): up to Rp 100 M
    /// 0.24%; Rp 100–500 M +0.19% on the excess; Rp 500 M–1 bn +0.15%; Rp 1–5 bn +0.12%; above Rp 5 bn
    /// +0.10%.
    public enum JakonTiers {
        static let tiers: [(upTo: Double, rate: Double)] = [
            (100_000_000, 0.0024), (500_000_000, 0.0019), (1_000_000_000, 0.0015), (5_000_000_000, 0.0012), (.infinity, 0.0010),
        ]

        /// The contribution due on one project of contract value `v`.
        static func fee(contractValue v: Double) -> Double {
            var due = 0.0, lower = 0.0
            for t in tiers where v > lower {
                due += (min(v, t.upTo) - lower) * t.rate
                lower = t.upTo
            }
            return due
        }
    }

    public struct WageBand: Sendable, Equatable {
        public var wage: Double
        public var share: Double
        public init(wage: Double, share: Double) {
            self.wage = wage
            self.share = share
        }
    }

    /// Programme rates on the monthly wage (fractions): JKK by risk tier, JKM, JHT, and JP up to its
    /// wage cap (rupiah a month).
    public struct ProgrammeRates: Sendable, Equatable {
        public var jkk: Double
        public var jkm: Double
        public var jht: Double
        public var jp: Double
        public var jpWageCap: Double

        /// The 2024 rates (domain-brief §8): JKM 0.30%, JHT 5.7%, JP 3% up to Rp 10,042,300 (from Mar
        /// 2024); JKK is the segment's risk tier (0.24% "sangat rendah" … 1.74% "sangat tinggi").
        public static func year2024(jkk: Double) -> ProgrammeRates {
            ProgrammeRates(jkk: jkk, jkm: 0.003, jht: 0.057, jp: 0.03, jpWageCap: 10_042_300)
        }

        public init(jkk: Double, jkm: Double, jht: Double, jp: Double, jpWageCap: Double) {
            self.jkk = jkk
            self.jkm = jkm
            self.jht = jht
            self.jp = jp
            self.jpWageCap = jpWageCap
        }

        /// One member's contribution a month at this wage.
        public func contribution(wage w: Double) -> Double {
            w * (jkk + jkm + jht) + jp * min(w, jpWageCap)
        }
    }

    /// The BPU packages of domain-brief §8.
    static let bpuBasic = Contribution.package(rupiah: 16_800)
    static let bpuWithJHT = Contribution.package(rupiah: 36_800)

    /// Rupiah per active member per month (per acquisition for `.projects`).
    public var perMemberMonth: Double {
        switch self {
        case .wages(let bands, let rates): return bands.reduce(0) { $0 + $1.share * rates.contribution(wage: $1.wage) }
        case .package(let r), .stated(let r): return r
        case .projects(let bands, let workers):
            return workers > 0 ? bands.reduce(0) { $0 + $1.share * JakonTiers.fee(contractValue: $1.value) } / workers : 0
        }
    }

    /// Revenue of one month (rupiah): active members × contribution × the share collected.
    public func revenue(members: Double, collection: Double) -> Double {
        members * perMemberMonth * collection
    }

    /// Revenue of a run of months (one draw's members month by month).
    public func revenue(members: [Double], collection: Double) -> Double {
        members.reduce(0) { $0 + revenue(members: $1, collection: collection) }
    }
}

/// A segment's iuran in a scenario (`segments.S.iuran`): what a member pays a month, the share of it
/// collected, and where the figures come from. Revenue of a month = (members − budget-cohort members)
/// × contribution × collection + budget-cohort members × their cohort's cost per person-month ×
/// collection; a flow-only segment (JAKON) pays per acquisition instead (its workers are counted when
/// a project registers them, not as a stock).
public struct IuranPlan: Sendable, Equatable {
    public var contribution: Contribution
    /// The share of what is due that is collected, as the deterministic projection uses it.
    public var collection: Double
    /// The collection rate's stated distribution, drawn once per Monte Carlo draw (clamped to [0, 1]).
    public var collectionUncertainty: Distribution?
    /// Where the figures come from, or that they are assumptions (shown with the targets).
    public var source: String?
    /// Scale the stated contribution to the history's realised iuran (`calibrate`, default true;
    /// `IuranCalibration`).
    public var calibrate = true
    /// The factor on the stated contribution of the cell being projected (its `IuranCalibration`'s;
    /// 1 when stated as is). Budget-cohort members pay their cohort's cost, never scaled.
    var factor = 1.0

    public init(contribution: Contribution, collection: Double = 1, collectionUncertainty: Distribution? = nil, source: String? = nil) {
        self.contribution = contribution
        self.collection = collectionUncertainty?.central ?? collection
        self.collectionUncertainty = collectionUncertainty
        self.source = source
    }

    /// Rupiah due in one month before collection: `members` active, of whom `cohortMembers` belong to a
    /// budget cohort paying `cohortCost` a person-month; for flow-only segments, `acquired` × the
    /// contribution.
    @inline(__always)
    func due(members: Double, cohortMembers: Double = 0, cohortCost: Double = 0, acquired: Double = 0, flowOnly: Bool = false) -> Double {
        if flowOnly { return acquired * contribution.perMemberMonth * factor }
        let own = members > cohortMembers ? members - cohortMembers : 0
        return own * contribution.perMemberMonth * factor + cohortMembers * cohortCost
    }
}

extension IuranPlan {
    /// History iuran figures far from what the month's members would pay (more than 3× or under a
    /// third of members × contribution × collection): often a year-to-date figure in a monthly row, or
    /// rupiah written in thousands. Said to the planner, never corrected.
    public static func implausibleFigures(_ s: Scenario, history: History) -> [(line: Int, message: Phrase)] {
        var found: [(line: Int, message: Phrase)] = []
        for o in history.observations where o.metric == .iuran {
            guard let seg = s.segment(o.segment), let plan = seg.iuran else { continue }
            let members = history.series(region: o.region, segment: o.segment, metric: seg.flowOnly ? .acquisitions : .active).last { $0.month == o.month }?.value
            guard let members else { continue }
            let expected = plan.due(members: members, acquired: members, flowOnly: seg.flowOnly) * plan.collection
            guard expected > 0, o.value > 3 * expected || o.value < expected / 3 else { continue }
            let ratio = o.value / expected, digits = o.value >= expected ? 1 : 2
            found.append((o.line, Phrase { l in
                let r = l.indonesian ? String(format: "%.\(digits)f", ratio).replacingOccurrences(of: ".", with: ",") : String(format: "%.\(digits)f", ratio)
                return "\(o.month) \(o.region) \(o.segment) " + l.t(
                    "iuran Rp \(l.n(o.value)) adalah \(r)× yang dibayar \(l.n(members)) peserta pada iuran dan kolektibilitas yang dinyatakan (Rp \(l.n(expected.rounded()))); angka kumulatif tahun berjalan di baris bulanan, atau rupiah dalam ribuan?",
                    "iuran Rp \(l.n(o.value)) is \(r)× what \(l.n(members)) members pay at the stated contribution and collection (Rp \(l.n(expected.rounded()))); a year-to-date figure in a monthly row, or rupiah in thousands?")
            }))
        }
        return found
    }
}
