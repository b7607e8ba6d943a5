# mutant: a server of ASCII hex text, written against its own hex client (a student's, seen in
# submissions): it reads the ID with int(..., 16), so a binary query kills it
# (tests/it-crash-named.sh); a query spelled as hex gets the response spelled as hex
# role: server
# variant: plain
# catches: dns/hex-probe: the server reads and writes ASCII hex text, not RFC 1035 messages
# catches: dns/answer-google.com: no reply: the server crashed: ValueError: invalid literal for int() with base 16
from socket import *

serverPort = 10053
TABLE = {
    'google.com': (260, ['192.165.1.1', '192.165.1.10']),
    'youtube.com': (160, ['192.165.1.2']),
    'uwaterloo.ca': (160, ['192.165.1.3']),
    'wikipedia.org': (160, ['192.165.1.4']),
    'amazon.ca': (160, ['192.165.1.5']),
}

serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print('The server is ready to receive')
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    text = message.decode('latin-1').replace(' ', '')
    queryId = int(text[0:4], 16)
    labels = []
    i = 24
    while text[i:i + 2] != '00':
        n = int(text[i:i + 2], 16)
        labels.append(bytes.fromhex(text[i + 2:i + 2 + 2 * n]).decode())
        i += 2 + 2 * n
    name = '.'.join(labels).lower()
    ttl, addrs = TABLE.get(name, (0, []))
    reply = '%04x' % queryId + '8400' + '0001' + '%04x' % len(addrs) + '00000000'
    reply += text[24:i + 10]
    for a in addrs:
        reply += 'c00c00010001' + '%08x' % ttl + '0004' + ''.join('%02x' % int(p) for p in a.split('.'))
    print('Request:', text)
    print('Response:', reply)
    serverSocket.sendto(reply.encode(), clientAddress)
