import { Button, Text, View } from '@tarojs/components';
import type { Me } from '@baoxue/shared';
import { Menu, type MenuEntry } from '../../../../components/menu';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { useStore } from '../../../../hooks/use-store';
import { PAGES } from '../../../../routes';
import { rollCallOutbox } from '../../../../services/roll-call-outbox';
import { isSchoolLeader, schoolLineApi, type SchoolClass } from '../../../../services/school-line';
import { openPage } from '../../../../utils/navigation';
import { dayWithWeekday, takenAtTime } from '../../school-days';
import '../../school.css';

/**
 * 学校工作台 (BRIEF §4a): today, the caller's classes (a leader's: all) with today's roll call and
 * its 点名 button, and what waits for the school — absences to follow up, leave to decide.
 */
export default function SchoolHomePage() {
  const user = useCurrentUser();
  return <Screen className="school-home">{user ? <SchoolHome user={user} /> : <Loading />}</Screen>;
}

function SchoolHome({ user }: { user: Me }) {
  const list = useLoader(() => schoolLineApi.classes(), [user.id]);
  useOnReturn(() => void list.reload());
  const outbox = rollCallOutbox.queued(user.id, useStore(rollCallOutbox.store));
  const leader = isSchoolLeader(user);
  const data = list.data;

  if (!data) return list.error ? <ErrorNotice message={list.error} onRetry={() => void list.reload()} /> : <Loading />;
  const mine = leader ? data.classes : data.classes.filter((schoolClass) => schoolClass.mine);
  const entries: MenuEntry[] = [
    {
      title: data.openAlerts ? `缺勤待跟进（${data.openAlerts} 人）` : '缺勤待跟进',
      description: '连续缺勤的学生：联系家长、上报疑似辍学',
      onClick: () => openPage(PAGES.schoolAlerts),
    },
    {
      title: data.pendingLeave ? `请假审批（${data.pendingLeave} 条待审批）` : '请假审批',
      description: '家长在小程序中提交的请假',
      onClick: () => openPage(PAGES.schoolLeave),
    },
    { title: '学籍异动', description: '转出、休学、迁出本县，确认转入本校的学生', onClick: () => openPage(PAGES.schoolChanges) },
    ...(leader ? [{ title: '班主任设置', description: '为每个班级指定班主任', onClick: () => openPage(PAGES.schoolTeachers) }] : []),
  ];

  return (
    <>
      <View className={`card today-card ${data.todayIsSchoolDay ? 'today-school' : 'today-off'}`}>
        <View>
          <Text className="today-date">{dayWithWeekday(data.today)}</Text>
          <Text className="list-item-meta">{data.schoolName}</Text>
        </View>
        <Text className={data.todayIsSchoolDay ? 'tag tag-approved' : 'tag tag-refused'}>
          {data.todayIsSchoolDay ? '今天上课' : '今天不上课'}
        </Text>
      </View>

      {outbox.length > 0 && (
        <View className="card outbox-card">
          <Text className="card-title">手机上待提交的点名（{outbox.length}）</Text>
          {outbox.map((item) => (
            <View
              key={item.key}
              className="menu-row"
              onClick={() =>
                openPage(PAGES.schoolRollCall, { grade: String(item.body.grade), className: item.body.className, day: item.body.day })
              }
            >
              <View className="menu-text">
                <Text className="menu-title">
                  {item.label} · {item.body.day}
                </Text>
                <Text className={item.state === 'rejected' ? 'list-item-error' : 'menu-description'}>
                  {item.state === 'rejected' ? `未被接受：${item.error ?? ''}，请打开修改后重新提交` : '已保存在手机，联网后自动提交'}
                </Text>
              </View>
              <Text className="menu-arrow">›</Text>
            </View>
          ))}
        </View>
      )}

      <Text className="section-title">{leader ? '全校班级' : '我的班级'}</Text>
      {mine.length === 0 && (
        <Empty text={leader ? '学籍名册中还没有本校的班级' : '您还不是任何班级的班主任，请学校负责人在“班主任设置”中指定'} />
      )}
      {mine.map((schoolClass) => (
        <ClassCard key={`${schoolClass.grade}-${schoolClass.className}`} schoolClass={schoolClass} schoolDay={data.todayIsSchoolDay} />
      ))}

      <Text className="section-title">学校事务</Text>
      <Menu entries={entries} />
    </>
  );
}

function ClassCard({ schoolClass, schoolDay }: { schoolClass: SchoolClass; schoolDay: boolean }) {
  const { today } = schoolClass;
  const query = { grade: String(schoolClass.grade), className: schoolClass.className };
  const state = !schoolDay ? '今天不点名' : today.taken ? `已点名 ${takenAtTime(today.takenAt)} · 缺勤 ${today.absent} 人` : '今天还未点名';
  return (
    <View className="card class-card">
      <View className="list-item-head">
        <Text className="list-item-title">{schoolClass.label}</Text>
        <Text className="list-item-meta">{schoolClass.pupils} 名学生</Text>
      </View>
      <Text className={`list-item-line ${today.taken ? 'class-state-taken' : 'class-state-open'}`}>{state}</Text>
      <Text className="list-item-meta">
        班主任：{schoolClass.teachers.length ? schoolClass.teachers.map((teacher) => teacher.name).join('、') : '未指定'}
      </Text>
      <View className="class-actions">
        <Button className="btn btn-plain" onClick={() => openPage(PAGES.schoolWeek, query)}>
          本周考勤
        </Button>
        {schoolDay && (
          <Button className="btn btn-primary btn-large" onClick={() => openPage(PAGES.schoolRollCall, query)}>
            {today.taken ? '修改点名' : '点名'}
          </Button>
        )}
      </View>
    </View>
  );
}
