import ArgumentParser
import Definitions
import Questionnaire
import Store

struct SurveyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Check questionnaire and scale definitions; close or reopen a questionnaire for keying.",
        subcommands: [Check.self, Close.self, Reopen.self]
    )

    /// What close and reopen take: the questionnaire, the reason, the store and who.
    struct EntryChange: ParsableArguments {
        @Argument(help: "The questionnaire id (e.g. rural).")
        var questionnaire: String

        @Option(help: "Why (kept in the audit trail), e.g. \"fieldwork ended 30 Nov\".")
        var reason: String

        @OptionGroup var store: StoreOptions
        @OptionGroup var who: OperatorOption

        func apply(open: Bool) async throws {
            try await reportingErrors {
                let s = try await store.open()
                // Online answers saved but never submitted, of cases still pending: the closing
                // counts those over the questionnaire's partial-above share.
                let waiting = open ? [] : try await s.invitationProgress(questionnaire: questionnaire)
                    .filter { $0.savedAt != nil && $0.submittedAt == nil && $0.disposition == Disposition.pending.rawValue }.map(\.caseID)
                let closure = try await s.setEntry(questionnaire: questionnaire, open: open, reason: reason, operator: who.resolved)
                print(closure.map { "已截止录入  \(questionnaire)（\($0.reason)）→ \(store.name)" } ?? "已恢复录入  \(questionnaire) → \(store.name)")
                if closure != nil && !waiting.isEmpty {
                    let still = Set(try await s.invitationProgress(questionnaire: questionnaire)
                        .filter { $0.disposition == Disposition.pending.rawValue }.map(\.caseID))
                    let counted = waiting.filter { !still.contains($0) }.count
                    print("网上自填  已作答未提交 \(waiting.count) 份，按问卷的部分完成规则计入 \(counted) 份，其余不计")
                }
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a questionnaire for keying (录入截止): its forms are then refused, from files, the web and the API.",
            discussion: "Verification and resolution go on. The closure and its reason are in the audit trail; pingyi survey reopen undoes it."
        )

        @OptionGroup var change: EntryChange

        func run() async throws { try await change.apply(open: false) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a questionnaire closed for keying.")

        @OptionGroup var change: EntryChange

        func run() async throws { try await change.apply(open: true) }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a questionnaire (surveys/questionnaires/*.yaml) or a scale (surveys/scales/*.yaml) and print a summary."
        )

        @Argument(help: "The definition file.")
        var file: String

        func run() async throws {
            try await reportingErrors {
                try requireFile(file, option: "FILE")
                let root = try YAMLValue.load(path: file)
                if let map = try? root.mapping(), map["tiers"] != nil {
                    let scale = try Scale(yaml: root)
                    print("量表  \(scale.id)  \(scale.title)")
                    print(scaleTable(scale))
                } else {
                    printSummary(try Questionnaire.load(path: file))
                }
            }
        }

        private func scaleTable(_ scale: Scale) -> String {
            var rows = [["代码", "标签", "分值", "满意", "特殊含义"]]
            for t in scale.tiers { rows.append([String(t.code), t.label, formatNumber(t.score), t.satisfied ? "是" : "否", ""]) }
            for s in scale.specials { rows.append([String(s.code), s.label, "", "", s.role.rawValue]) }
            return TextTable(rows: rows, rightAligned: [0, 2]).render(indent: "  ")
        }

        private func printSummary(_ q: Questionnaire) {
            print("问卷  \(q.id) v\(q.version)  \(q.title)")
            print("对象  \(q.group.rawValue)（\(q.group.label)）")
            print("录入  \(q.entry == .double ? "double（两遍独立录入，核对后计入）" : "single（一遍录入即计入）")")
            print("量表  \(q.scale.id)  \(q.scale.title)")
            print(scaleTable(q.scale))
            let first = q.units.first.map { "\($0.id) \($0.name)" } ?? ""
            let last = q.units.last.map { "\($0.id) \($0.name)" } ?? ""
            print("被评单位  \(q.units.count) 个: \(first) … \(last)")
            if let own = q.ownTown {
                print("本镇评价  \(Questionnaire.ownTownName)  \(own.label)（\(own.towns.count) 个镇/街道，按样本的 town_id）")
            }
            print("名单须有的列  \(q.listColumns.joined(separator: ", "))")
            print("变量  \(q.items.count) 个（评议单位 \(q.unitItems.count) 个，其他题目 \(q.furtherItems.count) 个）")
            var rows = [["变量", "类型", "必答", "取值", "条件", "标签"]]
            for item in q.furtherItems {
                let values: String
                switch item.kind {
                case .single(let choices): values = choices.map { "\($0.code) \($0.label)" }.joined(separator: ", ")
                case .number(let lo, let hi, let decimals):
                    values = "\(lo.map(formatNumber) ?? "…")–\(hi.map(formatNumber) ?? "…")" + (decimals > 0 ? "，\(decimals) 位小数" : "")
                case .text(let max): values = max.map { "≤ \($0) 字" } ?? ""
                case .tier, .unit, .ownTown: values = q.scale.codesDescription
                }
                rows.append([item.name, item.kind.typeName, item.required ? "是" : "否", values, item.when?.source ?? "", item.label])
            }
            print(TextTable(rows: rows).render(indent: "  "))
            if let calls = q.calls { printCalls(calls) }
            print("检查通过")
        }

        private func printCalls(_ c: CallRules) {
            let names = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"]
            print("电话调查  号码列 \(c.phones.joined(separator: ", "))；最多拨打 \(c.maxAttempts) 次；个案锁定 \(c.lockMinutes) 分钟"
                  + (c.stopAtQuota ? "；层达到目标后不再分配新个案" : "")
                  + (c.callbackShare > 0 ? "；回访复核 \(Int((c.callbackShare * 100).rounded()))%（\(c.callbackItems.joined(separator: ", "))）" : ""))
            print("  拨打时段（北京时间）  " + (0..<7).compactMap { d in
                c.windows[d].isEmpty ? nil : "\(names[d]) " + c.windows[d].map(\.text).joined(separator: "、")
            }.joined(separator: "；"))
            print("  重拨间隔（分钟）  " + CallOutcome.allCases.compactMap { o in c.retryMinutes[o].map { "\(o.label) \($0)" } }.joined(separator: "，"))
            var rows = [["最终结果规则", "处置", "AAPOR"]]
            for rule in c.finals {
                var when: [String] = []
                if let last = rule.last { when.append("本次 " + last.map(\.label).joined(separator: "/")) }
                if let ever = rule.ever { when.append("曾有 " + ever.map(\.label).joined(separator: "/")) }
                if let every = rule.everyNumber { when.append("每个号码最后为 " + every.map(\.label).joined(separator: "/")) }
                if rule.exhausted == true { when.append("拨满 \(c.maxAttempts) 次" + (rule.days.map { "（至少 \($0) 天）" } ?? "")) }
                if let contact = rule.contact { when.append(contact ? "曾接通" : "从未接通") }
                rows.append([when.joined(separator: "，"), rule.final.disposition, rule.final.aapor])
            }
            print(TextTable(rows: rows).render(indent: "  "))
        }
    }
}

/// A number as people write it: `80`, `62.5`.
func formatNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
