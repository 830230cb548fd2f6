/**
 * Data-quality flags (数据质量, BRIEF §5a, issue 18 item 6): records of a county that look fabricated
 * or impossible. Each rule has a stable code, a title and the rule in words, with its thresholds
 * named here so the text and the query cannot disagree. A flag asks for a check; it proves nothing.
 */

/** Rule 1: at least this many home visits logged by one account… */
export const VISIT_BURST_COUNT = 3;
/** …within this many minutes (from the first to the last of them). */
export const VISIT_BURST_MINUTES = 10;
/** Rule 2: the days either side of the 销号 day searched for an absence in the roll call (3: a week of 7 days). */
export const CLOSE_ABSENCE_DAYS_AROUND = 3;
/** Records listed per rule and page. */
export const DATA_QUALITY_PAGE_SIZE = 20;
/** The default period: the last 30 China days up to today. */
export const DATA_QUALITY_DEFAULT_DAYS = 30;

export const DATA_QUALITY_RULES = {
  visit_burst: {
    title: '短时间内集中登记家访',
    rule:
      `同一账号在 ${VISIT_BURST_MINUTES} 分钟内登记了 ${VISIT_BURST_COUNT} 次或更多家访（按系统记录的登记时间）。` +
      '入户走访需要路程和交谈时间，连续几分钟内登记多户，可能是事后集中补录或虚报，请核实每次家访是否真实发生。',
  },
  closed_while_absent: {
    title: '销号前后点名缺勤',
    rule:
      `案件以返校销号，但该学生在销号当天前后 ${CLOSE_ABSENCE_DAYS_AROUND} 天内（共 ${CLOSE_ABSENCE_DAYS_AROUND * 2 + 1} 天）的班级点名中有无故缺勤记录。` +
      '已请假（病假、事假获批）的缺勤不计。请核实学生是否真正在校。',
  },
  dated_before_opening: {
    title: '日期早于立案',
    rule: '家访日期或返校日期早于案件立案（收到线索或上报）的日期。先有案件才有劝返，这样的日期不可能成立，请核实并更正。',
  },
  visits_elsewhere_same_day: {
    title: '同日在其他乡镇有工作记录',
    rule:
      '同一账号登记的家访日期当天，该账号还在其他乡镇的案件中有家访或办理记录（按中国时间的日期）。' +
      '包抓干部一般只负责本乡镇，同一天在两个乡镇开展工作的记录需要核实。',
  },
} as const;
export type DataQualityRule = keyof typeof DATA_QUALITY_RULES;
export const DATA_QUALITY_RULE_CODES = Object.keys(DATA_QUALITY_RULES) as [DataQualityRule, ...DataQualityRule[]];

/** What a flag's item is: a home visit, the return, the 销号, a day of the roll call, another case's event. */
export const DATA_QUALITY_ITEM_LABELS = {
  visit: '家访',
  return: '返校',
  close: '销号',
  opened: '立案',
  absence: '点名缺勤',
  activity: '其他乡镇的工作记录',
} as const;
export type DataQualityItemKind = keyof typeof DATA_QUALITY_ITEM_LABELS;
