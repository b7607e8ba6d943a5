from socket import *
import struct

# DNS server
serverPort = 10053
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))

table = {
    "google.com": ["192.165.1.1", "192.165.1.10"],
    "youtube.com": ["192.165.1.2"],
    "uwaterloo.ca": ["192.165.1.3"],
    "wikipedia.org": ["192.165.1.4"],
    "amazon.ca": ["192.165.1.5"],
}
ttls = {"google.com": 260, "youtube.com": 160, "uwaterloo.ca": 160, "wikipedia.org": 160, "amazon.ca": 160}


def print_hex(message):
    line = ""
    for i in range(len(message)):
        line += "%02x " % message[i]
        if i % 16 == 15:
            print(line.strip())
            line = ""
    if line:
        print(line.strip())


print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    print("Request:")
    print_hex(message)

    transaction_id, flags, qdcount, ancount, nscount, arcount = struct.unpack("!HHHHHH", message[:12])

    # read the question name
    i = 12
    labels = []
    while message[i] != 0:
        length = message[i]
        labels.append(message[i + 1:i + 1 + length].decode())
        i = i + length + 1
    qname = ".".join(labels)
    question = message[12:i + 5]

    addresses = table[qname.lower()]
    ttl = ttls[qname.lower()]

    header = struct.pack("!HHHHHH", transaction_id, 0x8400, 1, 1, 0, 0)
    answers = b""
    for address in addresses:
        answers += struct.pack("!HHHIH", 0xC00C, 1, 1, ttl, 4) + inet_aton(address)
    response = header + question + answers

    print("Response:")
    print_hex(response)
    serverSocket.sendto(response, clientAddress)
