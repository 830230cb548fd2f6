/**
 * The summary of 保学通's 隐私保护指引 shown before consent. The full guide is the one registered
 * in the WeChat admin console (mp 后台 → 用户隐私保护指引), opened with openPrivacyContract.
 */
export const PRIVACY_GUIDE_TITLE = '保学通隐私保护指引';

export const PRIVACY_GUIDE_SECTIONS: ReadonlyArray<{ heading: string; body: string }> = [
  {
    heading: '我们为什么处理个人信息',
    body: '保学通用于落实《义务教育法》规定的控辍保学工作：发现、劝返并帮助适龄儿童完成义务教育。我们只为这一目的处理信息。',
  },
  {
    heading: '收集哪些信息',
    body: '您的微信身份标识（用于登录，不获取昵称、头像和手机号）、您填写的姓名和所在单位；社会监督员报告的儿童信息（姓名、性别、年龄或年级、居住村组、看到的情况）；您主动选择上传的照片和文件；家访、返校等工作记录。',
  },
  {
    heading: '未成年人信息',
    body: '儿童的姓名、身份证号、住址属于敏感个人信息，不满十四周岁儿童的信息按《个人信息保护法》第二十八条、第三十一条严格保护：只给负责该儿童的乡镇、村和学校工作人员查看，身份证号默认隐藏，每次查看都有记录。',
  },
  {
    heading: '谁能看到',
    body: '工作人员只能看到本辖区、本校的记录；监督员只能看到自己报告事项的办理进度，看不到家庭详情；举报人身份默认不向乡镇经办人公开，确需查看须说明理由并留痕。信息不用于其他目的，不向第三方提供。',
  },
  {
    heading: '您的权利',
    body: '您可以查阅、更正您的信息，撤回同意或注销账号，请联系本县教育局。已结案的记录按规定期限去标识化处理。',
  },
];
