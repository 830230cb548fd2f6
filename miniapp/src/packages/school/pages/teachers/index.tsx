import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { schoolLineApi, type SchoolClass } from '../../../../services/school-line';
import { toastSuccess } from '../../../../utils/feedback';
import '../../../../components/subpackage.css';
import '../../school.css';

type Person = { userId: string; name: string };

/** The school leader names each class's 班主任 from the school's staff; a class may have several. */
export default function TeachersPage() {
  const user = useCurrentUser();
  const list = useLoader(() => (user ? schoolLineApi.classes() : null), [user?.id]);
  const staff = useLoader(() => (user ? schoolLineApi.staff() : null), [user?.id]);
  const [editing, setEditing] = useState<string | null>(null);
  const error = list.error ?? staff.error;

  return (
    <Screen className="list-page teachers-page">
      <Text className="section-note">班主任负责本班点名、审批请假和联系家长。学校的工作人员须先用邀请码登录小程序，才会出现在名单中。</Text>
      {error && (
        <ErrorNotice
          message={error}
          onRetry={() => {
            void list.reload();
            void staff.reload();
          }}
        />
      )}
      {!error && (!list.data || !staff.data) && <Loading />}
      {list.data && staff.data && list.data.classes.length === 0 && <Empty text="学籍名册中还没有本校的班级" />}
      {list.data &&
        staff.data &&
        list.data.classes.map((schoolClass) => {
          const key = `${schoolClass.grade}-${schoolClass.className}`;
          return (
            <ClassTeachers
              key={key}
              schoolClass={schoolClass}
              staff={staff.data!.items}
              editing={editing === key}
              onEdit={() => setEditing(key)}
              onSaved={async () => {
                setEditing(null);
                await list.reload();
              }}
            />
          );
        })}
    </Screen>
  );
}

function ClassTeachers({
  schoolClass,
  staff,
  editing,
  onEdit,
  onSaved,
}: {
  schoolClass: SchoolClass;
  staff: Person[];
  editing: boolean;
  onEdit: () => void;
  onSaved: () => Promise<void>;
}) {
  const [chosen, setChosen] = useState<string[]>(schoolClass.teachers.map((teacher) => teacher.userId));
  const saving = useAction(
    async () => {
      await schoolLineApi.setTeachers({ grade: schoolClass.grade, className: schoolClass.className, userIds: chosen });
      toastSuccess('已保存');
      await onSaved();
    },
    { errorIn: 'inline' },
  );
  const toggle = (userId: string) =>
    setChosen((current) => (current.includes(userId) ? current.filter((id) => id !== userId) : [...current, userId]));

  return (
    <View className="card list-item class-teachers">
      <View className="list-item-head">
        <Text className="list-item-title">{schoolClass.label}</Text>
        <Text className="list-item-meta">{schoolClass.pupils} 名学生</Text>
      </View>
      <Text className="list-item-line">
        班主任：{schoolClass.teachers.length ? schoolClass.teachers.map((teacher) => teacher.name).join('、') : '未指定'}
      </Text>
      {editing ? (
        <>
          <View className="chips">
            {staff.map((person) => (
              <View
                key={person.userId}
                className={chosen.includes(person.userId) ? 'chip chip-active' : 'chip'}
                onClick={() => toggle(person.userId)}
              >
                {person.name}
              </View>
            ))}
          </View>
          {saving.error && <Text className="field-error">{saving.error}</Text>}
          <Button className="btn btn-primary btn-small" loading={saving.busy} onClick={() => void saving.run()}>
            保存
          </Button>
        </>
      ) : (
        <Button className="btn btn-plain btn-small" onClick={onEdit}>
          设置班主任
        </Button>
      )}
    </View>
  );
}
