# Structural check of this corpus: one JSON object per line, unique ids, org/school exist, only the four scored categories.
import json,collections,glob,os
d=os.path.dirname(os.path.abspath(__file__))
orgs={}
for f in glob.glob(d+'/orgs/*.json'):
    b=json.load(open(f)); assert b['format']=='postguard/1'
    oid=b['organisation']['id']; assert os.path.basename(f)==oid+'.json'
    orgs[oid]={s['id'] for s in b['schools']}
cats={'disclaimer','pupil_contact','pupil_privacy','confidential'}
ids=set(); C=collections.Counter(); sites=collections.Counter(); surf=collections.Counter(); acc=collections.Counter(); diff=collections.Counter(); clean=0
for n,l in enumerate(open(d+'/north.jsonl'),1):
    c=json.loads(l); assert c['id'] not in ids; ids.add(c['id'])
    assert c['org'] in orgs, c; assert c['school'] is None or c['school'] in orgs[c['org']], c
    assert set(c['expect'])<=cats and len(set(c['expect']))==len(c['expect']), c
    assert c['surface'] in {'post','comment','dm','bio'} and c['account'] in {'personal','official'} and c['difficulty'] in {'easy','hard'} and c['note']
    if c['account']=='official' or c['surface']=='dm': assert 'disclaimer' not in c['expect'], c
    for x in c['expect']: C[x]+=1
    clean+= not c['expect']; sites[c['site']]+=1; surf[c['surface']]+=1; acc[c['account']]+=1; diff[c['difficulty']]+=1
print(len(ids),'cases; clean',clean); print(dict(C)); print(dict(sites)); print(dict(surf),dict(acc),dict(diff))
print(collections.Counter(json.loads(l)['org'] for l in open(d+'/north.jsonl')))
