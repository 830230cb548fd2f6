import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { Me } from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { schoolLineApi } from '../../../../services/school-line';
import { openPage } from '../../../../utils/navigation';
import { decodedParam, MARK_LEGEND, MARK_SYMBOLS, markClass, shortDay } from '../../school-days';
import '../../school.css';

/** A class's week: pupils down, school days across, each day's mark as one character; earlier weeks on demand. */
export default function WeekPage() {
  const user = useCurrentUser();
  const params = useRouter().params;
  const grade = params.grade;
  const className = decodedParam(params.className);
  return (
    <Screen className="week-page">
      {!user ? (
        <Loading />
      ) : grade && className ? (
        <Week user={user} grade={Number(grade)} className={className} />
      ) : (
        <ErrorNotice message="没有指定班级" />
      )}
    </Screen>
  );
}

function Week({ user, grade, className }: { user: Me; grade: number; className: string }) {
  const [weekOf, setWeekOf] = useState<string | undefined>(undefined);
  const week = useLoader(() => schoolLineApi.week({ grade, className, weekOf }), [user.id, grade, className, weekOf]);
  useOnReturn(() => void week.reload());
  const data = week.data;
  if (!data) return week.error ? <ErrorNotice message={week.error} onRetry={() => void week.reload()} /> : <Loading />;

  return (
    <>
      <View className="week-nav">
        <Button className="btn btn-plain btn-small" onClick={() => setWeekOf(data.previousWeek)}>
          ‹ 上一周
        </Button>
        <Text className="list-item-title">{data.label}</Text>
        {data.nextWeek ? (
          <Button className="btn btn-plain btn-small" onClick={() => setWeekOf(data.nextWeek ?? undefined)}>
            下一周 ›
          </Button>
        ) : (
          <View />
        )}
      </View>
      <View className="card week-grid">
        <View className="week-row week-head">
          <Text className="week-name">姓名</Text>
          {data.days.map((day) => {
            const { date, weekday } = shortDay(day.day);
            return (
              <View
                key={day.day}
                className={day.schoolDay ? 'week-cell' : 'week-cell week-off'}
                onClick={() => day.schoolDay && openPage(PAGES.schoolRollCall, { grade: String(grade), className, day: day.day })}
              >
                <Text>{weekday}</Text>
                <Text className="list-item-meta">{date}</Text>
                {day.schoolDay && !day.taken && <Text className="list-item-meta">未点名</Text>}
              </View>
            );
          })}
        </View>
        {data.pupils.length === 0 && <Empty text="这个班级没有学生" />}
        {data.pupils.map((pupil) => (
          <View key={pupil.childId} className="week-row" onClick={() => openPage(PAGES.schoolPupil, { id: pupil.childId })}>
            <Text className="week-name">{pupil.name}</Text>
            {pupil.marks.map((mark, index) => (
              <Text
                key={data.days[index]?.day ?? index}
                className={`week-cell ${data.days[index]?.schoolDay ? '' : 'week-off'} ${mark ? markClass(mark) : ''}`}
              >
                {mark ? MARK_SYMBOLS[mark] : data.days[index]?.schoolDay ? '' : '休'}
              </Text>
            ))}
          </View>
        ))}
      </View>
      <View className="legend">
        {MARK_LEGEND.map((item) => (
          <Text key={item.mark} className={`legend-item ${markClass(item.mark)}`}>
            {item.text}
          </Text>
        ))}
        <Text className="legend-item">休 不上课</Text>
      </View>
      <Text className="section-note">点日期可查看或补点当天的名单，点姓名查看学生的缺勤跟进。</Text>
    </>
  );
}
