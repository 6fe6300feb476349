import Testing

@testable import Planning

/// Iuran arithmetic against hand-computed figures (issue 21: "hand-checked at the level of single draws").
@Suite struct IuranTests {
    /// 6,000 BPU members on the Rp 16,800 package for 12 months at full collection:
    /// 6,000 × 16,800 × 12 = Rp 1,209,600,000; at 90% collection Rp 1,088,640,000.
    @Test func bpuPackageForAYear() {
        let members = [Double](repeating: 6_000, count: 12)
        #expect(Contribution.bpuBasic.revenue(members: members, collection: 1) == 1_209_600_000)
        #expect(Contribution.bpuBasic.revenue(members: members, collection: 0.9) == 1_088_640_000)
        #expect(Contribution.bpuWithJHT.perMemberMonth == 36_800)
    }

    /// PU with wages below and above the JP cap (2024 rates, JKK 0.24%): 70% of members earn
    /// Rp 3,000,000 and 30% Rp 12,000,000.
    /// Below: 3,000,000 × (0.0024 + 0.003 + 0.057) + 0.03 × 3,000,000 = 187,200 + 90,000 = 277,200.
    /// Above: 12,000,000 × 0.0624 + 0.03 × 10,042,300 = 748,800 + 301,269 = 1,050,069.
    /// Mean: 0.7 × 277,200 + 0.3 × 1,050,069 = 194,040 + 315,020.7 = 509,060.7 a member-month.
    /// Capping the average wage instead (5,700,000, below the cap): 5,700,000 × 0.0624 + 0.03 ×
    /// 5,700,000 = 355,680 + 171,000 = 526,680, which overstates by 17,619.3 (3.5%).
    @Test func puWagesAboveAndBelowTheCap() {
        let rates = Contribution.ProgrammeRates.year2024(jkk: 0.0024)
        #expect(abs(rates.contribution(wage: 3_000_000) - 277_200) < 1e-6)
        #expect(abs(rates.contribution(wage: 12_000_000) - 1_050_069) < 1e-6)
        let pu = Contribution.wages(bands: [.init(wage: 3_000_000, share: 0.7), .init(wage: 12_000_000, share: 0.3)], rates: rates)
        #expect(abs(pu.perMemberMonth - 509_060.7) < 1e-6)
        let averaged = Contribution.wages(bands: [.init(wage: 5_700_000, share: 1)], rates: rates)
        #expect(abs(averaged.perMemberMonth - 526_680) < 1e-6)
        #expect(abs(averaged.perMemberMonth - pu.perMemberMonth - 17_619.3) < 1e-6)
        // One draw's year: 11,924 members every month at 95% collection.
        let year = pu.revenue(members: [Double](repeating: 11_924, count: 12), collection: 0.95)
        #expect(abs(year - 11_924 * 509_060.7 * 12 * 0.95) < 1e-3)
    }

    /// A stated amount is taken as it is.
    @Test func statedAmount() {
        #expect(Contribution.stated(rupiah: 25_000).revenue(members: 1_000, collection: 0.8) == 20_000_000)
    }
}
