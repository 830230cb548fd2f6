import { COMPULSORY_EDUCATION_LAW, type EnrolmentKind } from '@baoxue/shared';

/**
 * 入学通知书: the text of one child's notice. It is stored with the notice as issued; the PDF
 * prints the same text with the binding code and a tear-off receipt.
 */
export interface EnrolmentTextInput {
  kind: EnrolmentKind;
  childName: string;
  guardianNames: string[];
  birthDate: string | null;
  schoolYear: number;
  schoolName: string;
  reportOn: string;
  reportTime: string;
  reportPlace: string;
  bring: string;
  contact: string;
  acknowledgeBy: string;
  issuerName: string;
  issuedOn: string;
}

export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** The provisions the notice quotes: 第五条 (its second paragraph, on guardians), 第十一条 and 第五十八条, word for word. */
export function lawExcerpt(): string[] {
  const [article5, article11, article58] = COMPULSORY_EDUCATION_LAW.articles;
  return [
    `${COMPULSORY_EDUCATION_LAW.title}有关规定：`,
    `${article5.number}第二款：${article5.text[1]}`,
    `${article11.number}：${article11.text.join('')}`,
    `${article58.number}：${article58.text.join('')}`,
  ];
}

export function enrolmentNoticeText(input: EnrolmentTextInput): string {
  const guardian = input.guardianNames.length ? `${input.guardianNames.join('、')}` : `${input.childName}的家长`;
  const born = input.birthDate ? `（${chineseDate(input.birthDate)}出生）` : '';
  const reason =
    input.kind === 'new_entrants'
      ? `您的孩子${input.childName}${born}已到入学年龄，应于${input.schoolYear}年秋季入学接受义务教育。`
      : `您的孩子${input.childName}${born}已完成小学学业，应于${input.schoolYear}年秋季升入初中，继续完成义务教育。`;
  return [
    `${input.schoolYear}年秋季入学通知书`,
    '',
    `${guardian}：`,
    '',
    reason,
    `请于${chineseDate(input.reportOn)}${input.reportTime}，送孩子到${input.schoolName}报到（地点：${input.reportPlace}）。`,
    `报到时请携带：${input.bring}`,
    `联系人及电话：${input.contact}`,
    '',
    `请于${chineseDate(input.acknowledgeBy)}前在“保学通”小程序中确认收到本通知（回执），或将纸质回执交给村委会或学校。孩子因身体状况需要延缓入学的，请在小程序中提出申请并上传医院证明等材料，由乡镇人民政府或县级教育行政部门审批。`,
    '',
    ...lawExcerpt(),
    '',
    input.issuerName,
    chineseDate(input.issuedOn),
  ].join('\n');
}
