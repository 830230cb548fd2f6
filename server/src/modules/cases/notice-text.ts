/**
 * 《限期返校通知书》: the text a township issues to a guardian under 义务教育法 第五十八条.
 * The issued text is stored with the notice, so later wording changes never alter what was sent.
 */
export interface NoticeTextInput {
  childName: string;
  guardianNames: string[];
  townshipName: string;
  schoolName: string | null;
  issuedOn: string;
  deadlineOn: string;
}

function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

export function returnNoticeText(input: NoticeTextInput): string {
  const guardian = input.guardianNames.length ? input.guardianNames.join('、') : `${input.childName}的监护人`;
  const school = input.schoolName ?? '原就读学校';
  return [
    '限期返校通知书',
    '',
    `${guardian}：`,
    '',
    `经核实，您的孩子${input.childName}处于义务教育阶段，目前未按规定到校就读。根据《中华人民共和国义务教育法》，现通知如下：`,
    '',
    `请您于${chineseDate(input.deadlineOn)}前送${input.childName}到${school}报到复学。如有特殊困难，请及时与乡镇人民政府或学校联系，我们将依法提供帮助。`,
    '',
    '《中华人民共和国义务教育法》有关规定：',
    '第五条：适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成义务教育。',
    '第十一条：适龄儿童、少年因身体状况需要延缓入学或者休学的，其父母或者其他法定监护人应当提出申请，由当地乡镇人民政府或者县级人民政府教育行政部门批准。',
    '第五十八条：适龄儿童、少年的父母或者其他法定监护人无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的，由当地乡镇人民政府或者县级人民政府教育行政部门给予批评教育，责令限期改正。',
    '',
    `${input.townshipName}人民政府`,
    chineseDate(input.issuedOn),
  ].join('\n');
}
