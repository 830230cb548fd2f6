import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Screen } from '../../../../components/screen';
import { Empty, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { PAGES } from '../../../../routes';
import { goBack, pageUrl } from '../../../../utils/navigation';
import { CaseContent } from '../../components/case-content';
import '../../official.css';

/** One case on its own page (phones; the desktop inbox shows it in a side panel). */
export default function CasePage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  const [titled, setTitled] = useState<string | null>(null);

  return (
    <Screen className="detail-page case-page">
      {!id && <Empty text="没有指定案件" />}
      {id && !user && <Loading />}
      {id && user && (
        <CaseContent
          id={id}
          user={user}
          onLoaded={(detail) => {
            if (detail.child.name === titled) return;
            setTitled(detail.child.name);
            void Taro.setNavigationBarTitle({ title: `${detail.child.name}的案件` });
          }}
          onOpenCase={(caseId) => void Taro.redirectTo({ url: pageUrl(PAGES.officialCase, { id: caseId }) })}
          onLeave={goBack}
        />
      )}
    </Screen>
  );
}
