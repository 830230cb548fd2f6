export const SchoolStage = {
  primary: 'primary', // 小学 grades 1–6
  junior: 'junior', // 初中 grades 7–9
  both: 'both', // 九年一贯制
} as const;
export type SchoolStage = (typeof SchoolStage)[keyof typeof SchoolStage];
export const SCHOOL_STAGES = Object.values(SchoolStage) as [SchoolStage, ...SchoolStage[]];

export const SCHOOL_STAGE_LABELS: Record<SchoolStage, string> = {
  primary: '小学',
  junior: '初中',
  both: '九年一贯制',
};
